import sys, os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mmse2_load import *
fn=sys.argv[1]
c=load(fn,14)
pl,bx,by,zz,sig,b,b0,mean,skip,x,hw,y,mm,far=c
n=len(pl)
blk={}
E={};S={}
for i in range(n):
    key=(int(pl[i]),int(bx[i]),int(by[i]))
    if zz[i]>0 and not skip[i]:
        E[key]=E.get(key,0)+(mm[i]-mean[i])**2
        S[key]=S.get(key,0)+b0[i]**2
# neighbour |e| per (plane,bx,by,zz)
ae={}
for i in range(n):
    if not skip[i]: ae[(int(pl[i]),int(bx[i]),int(by[i]),int(zz[i]))]=abs(mm[i]-mean[i])
    else: ae[(int(pl[i]),int(bx[i]),int(by[i]),int(zz[i]))]=0.0
npx=n
def run(name, bfun, farscale=1.0):
    sz=sf=0.0
    for i in range(n):
        if skip[i] or zz[i]==0: continue
        lo=x[i]-hw[i]-mean[i]; hi=x[i]+hw[i]-mean[i]
        s2=sig[i]**2
        bb=bfun(i)
        if lo<0<hi:
            e=mean[i]+tmean(lo,hi,bb)
            sz+=s2*(y[i]-e)**2
        else:
            bf = bb if bb>=farscale else farscale
            e=mean[i]+tmean(lo,hi,bf)
            sf+=s2*(y[i]-e)**2
    print('%-30s zero %.4f far %.4f sum %.4f'%(name,sz/npx,sf/npx,(sz+sf)/npx))
run('base', lambda i: b[i])
for beta in (0.15,0.3,0.5):
    def f(i,beta=beta):
        k=(int(pl[i]),int(bx[i]),int(by[i]))
        return b0[i]*((E.get(k,0)+1)/(S.get(k,0)+1))**beta
    run('fullblock beta %.2f'%beta, f)
    def g(i,beta=beta):
        k=(int(pl[i]),int(bx[i]),int(by[i]))
        return b[i]*((E.get(k,0)+1)/(S.get(k,0)+1))**beta
    run('causal x fullblock beta %.2f'%beta, g)
for al in (0.2,0.4):
  for eps in (0.1,0.3):
    def h(i,al=al,eps=eps):
        p_,X,Y,z=int(pl[i]),int(bx[i]),int(by[i]),int(zz[i])
        vals=[ae.get((p_,X+dx,Y+dy,z)) for dx,dy in ((-1,0),(1,0),(0,-1),(0,1))]
        vals=[v for v in vals if v is not None]
        m=sum(vals)/len(vals)
        return b[i]*((m+eps)/(b[i]+eps))**al
    run('nbr4 al %.1f eps %.1f'%(al,eps), h)
