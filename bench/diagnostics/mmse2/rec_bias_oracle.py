import sys, os, math; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mmse2_load import *
fn=sys.argv[1]
c=load(fn,14)
pl,bx,by,zz,sig,b,b0,mean,skip,x,hw,y,mm,far=c
n=len(pl)
cls={}
tot=0.0; cen=0.0
for i in range(n):
    s2=sig[i]**2
    if skip[i]:
        tot+=s2*y[i]**2; cen+=s2*y[i]**2; continue
    tot+=s2*(y[i]-far[i])**2; cen+=s2*(y[i]-x[i])**2
    lo=x[i]-hw[i]-mean[i]; hi=x[i]+hw[i]-mean[i]
    ct = 0 if lo<0<hi else 1
    # position of prior mean in the zero cell: t=(-lo)/(hi-lo) folded
    sgn = 1 if x[i]-mean[i]>=0 else -1
    bc = min(7,max(0,int(math.floor(math.log2(b[i])+5)))) # b class
    key=(int(pl[i]>0), grp(int(zz[i])), ct, bc)
    d=cls.setdefault(key,[0,0.0])
    d[0]+=1; d[1]+=sig[i]*sgn*(y[i]-far[i])
gain=0.0
for k,(cnt,s) in cls.items():
    gain+= s*s/cnt
print(fn,'mse %.4f center-coded mse %.4f  oracle per-class bias gain %.5f  (%.4f dB)'%(tot/n, cen/n, gain/n, 10*math.log10(tot/(tot-gain))))
