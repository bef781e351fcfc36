import sys, os, math; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mmse2_load import *
def tg(recs):
    acc={}
    for k,u,r in recs:
        a=acc.setdefault(k,[0.0,0.0,0]); a[0]+=u*r; a[1]+=u*u; a[2]+=1
    g=0.0
    for k,(sr,su,n) in acc.items():
        c=round(sr/su*128)/128; gain=2*c*sr-c*c*su
        if gain > 8*2*math.log(2)*su/n: g+=gain
    return g
for fn in sys.argv[1:]:
    pl,bx,by,zz,sig,b,b0,mean,skip,x,hw,y,mm,far=load(fn,14); n=len(pl)
    r36=[];r54=[];tot=0.0
    for i in range(n):
        if skip[i]: tot+=(sig[i]*y[i])**2; continue
        r=sig[i]*(y[i]-far[i]); tot+=r*r
        lo=x[i]-hw[i]-mean[i]; hi=x[i]+hw[i]-mean[i]
        ct=0 if lo<0<hi else 1
        sgn=1 if x[i]-mean[i]>=0 else -1
        k=(int(pl[i]>0),grp(int(zz[i])),ct)
        r36.append((k,sig[i],sgn*r))
        pos = 0 if ct else (1 if abs(x[i]-mean[i]) < 0.5*hw[i] else 2)
        r54.append(((k[0],k[1],ct*10+pos),sig[i],sgn*r))
    g36=tg(r36); g54=tg(r54)
    print('%-22s 36 classes %.4f dB, zero cells split by position %.4f dB'%(fn,10*math.log10(tot/(tot-g36)),10*math.log10(tot/(tot-g54))))
