# gain of a (luma/chroma) x (DC, 8 AC groups) x (cell type) additive table in step/sigma units
import sys, os, math; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mmse2_load import *
def table_gain(recs, n, tot):
    # recs: list of (key, unit, folded residual in sample units)
    acc={}
    for k,u,r in recs:
        a=acc.setdefault(k,[0.0,0.0]); a[0]+=u*r; a[1]+=u*u
    # quantize c to 1/64
    g=0.0
    for k,(sr,su) in acc.items():
        c=round(sr/su*64)/64
        g+= 2*c*sr - c*c*su
    return g
for fn in sys.argv[1:]:
    recs=[]; tot=0.0
    if '/rec_' in '/'+fn:
        pl,bx,by,zz,sig,b,b0,mean,skip,x,hw,y,mm,far=load(fn,14); n=len(pl)
        for i in range(n):
            if skip[i]: tot+=(sig[i]*y[i])**2; continue
            r=sig[i]*(y[i]-far[i]); tot+=r*r
            lo=x[i]-hw[i]-mean[i]; hi=x[i]+hw[i]-mean[i]
            ct=0 if lo<0<hi else 1
            sgn=1 if x[i]-mean[i]>=0 else -1
            recs.append(((int(pl[i]>0),grp(int(zz[i])),ct),sig[i],sgn*r))
    else:
        r0,bx,by,zz,step,b,yr=load(fn,7); n=len(r0)
        for i in range(n):
            p=int(math.floor((r0[i]+5e7)/1e8)); s=round(r0[i]-p*1e8); bb=b[i]
            if s==0: tot+=(step[i]*yr[i])**2; continue
            t=math.exp(-1/(2*bb)); t2=t*t; off=-0.5+bb-t2/(1-t2); off=min(0,max(-0.5,off)); a=(abs(s)+off)*(1 if s>0 else -1)
            r=step[i]*(yr[i]-a); tot+=r*r
            recs.append(((int(p>0),grp(int(zz[i])),min(abs(s),2)-1),step[i],(1 if s>0 else -1)*r))
    g=table_gain(recs,n,tot)
    print('%-22s mse %.4f  36-entry table gain %.4f dB'%(fn, tot/n, 10*math.log10(tot/(tot-g))))
