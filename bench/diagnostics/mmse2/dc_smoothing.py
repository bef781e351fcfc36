import sys, os, math; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mmse2_load import *
fn=sys.argv[1]; mode=sys.argv[2]  # rec or rnd
if mode=='rec':
    c=load(fn,14)
    pl,bx,by,zz,sig,b,b0,mean,skip,x,hw,y,mm,far=c
    n=len(pl)
    rec=[ (0.0 if skip[i] else far[i])*sig[i] for i in range(n)]
    Y=[y[i]*sig[i] for i in range(n)]
    small=[ skip[i]==1 or (x[i]-hw[i]-mean[i])<0<(x[i]+hw[i]-mean[i]) for i in range(n)]
    P=[int(v) for v in pl]
else:
    c=load(fn,7)
    r0,bx,by,zz,step,b,yr=c
    n=len(r0)
    P=[int(math.floor((v+5e7)/1e8)) for v in r0]
    s=[r0[i]-P[i]*1e8 for i in range(n)]
    # DC: yr is residual vs pred; can't recover absolute dc without pred. store dc recon separately below
    rec=[];Y=[];small=[]
    for i in range(n):
        si=round(s[i]); bb=b[i]
        if si==0: a=0.0
        else:
            t=math.exp(-1/(2*bb)); t2=t*t; off=-0.5+bb-t2/(1-t2); off=min(0,max(-0.5,off)); a=(abs(si)+off)*(1 if si>0 else -1)
        rec.append(a*step[i]); Y.append(yr[i]*step[i]); small.append(si==0)
idx={}
for i in range(n): idx[(P[i],int(bx[i]),int(by[i]),int(zz[i]))]=i
# DC absolute: for rec, mm is absolute (mean+e) -> far includes mean. for rnd DC recon is residual; skip rnd DC features -> use neighbour same-band only there
def val(p,X,Y_,z):
    j=idx.get((p,X,Y_,z)); return None if j is None else rec[j]
ZZ={1:'AC01',2:'AC10',3:'AC20',4:'AC11',5:'AC02'}
for p_ in (0,1):
  for z in (1,2,3,4,5):
    A=[];B=[];Cn=[];T=[]
    for i in range(n):
        if zz[i]!=z or not small[i] or (P[i]>0)!=(p_>0): continue
        X,Y_=int(bx[i]),int(by[i]); p=P[i]
        d=[[val(p,X+dx,Y_+dy,0) for dx in (-1,0,1)] for dy in (-1,0,1)]
        if any(v is None for r in d for v in r) : continue
        if mode=='rec':
            if z==1: f=d[1][0]-d[1][2]
            elif z==2: f=d[0][1]-d[2][1]
            elif z==3: f=d[0][1]+d[2][1]-2*d[1][1]
            elif z==4: f=(d[0][0]-d[0][2])-(d[2][0]-d[2][2])
            else: f=d[1][0]+d[1][2]-2*d[1][1]
        else: f=0.0
        nb=[val(p,X+dx,Y_+dy,z) for dx,dy in ((-1,0),(1,0),(0,-1),(0,1))]
        g=sum(nb)
        A.append(f);Cn.append(g);T.append(Y[i]-rec[i])
    m=len(T)
    if m==0: continue
    base=sum(t*t for t in T)
    # 2-feature least squares
    saa=sum(a*a for a in A); sgg=sum(g*g for g in Cn); sag=sum(a*g for a,g in zip(A,Cn))
    sat=sum(a*t for a,t in zip(A,T)); sgt=sum(g*t for g,t in zip(Cn,T))
    det=saa*sgg-sag*sag
    if det>0:
        ca=(sat*sgg-sgt*sag)/det; cg=(sgt*saa-sat*sag)/det
    else:
        ca=0; cg=sgt/sgg if sgg>0 else 0
    res=sum((t-ca*a-cg*g)**2 for a,g,t in zip(A,Cn,T))
    print('%s plane%d %s n=%d base/px %.4f fit/px %.4f  ca %.4f cg %.4f'%(fn,p_,ZZ[z],m,base/n,res/n,ca,cg))
