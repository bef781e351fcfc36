import sys, os, math; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mmse2_load import *
fn=sys.argv[1]
r0,bx,by,zz,step,b,yr=load(fn,7)
n=len(r0)
cls={}; tot=0.0; cen=0.0
mults=[0.5,0.7,1.0,1.4,2.0]; ms=[0.0]*5
for i in range(n):
    p=int(math.floor((r0[i]+5e7)/1e8)); s=round(r0[i]-p*1e8); bb=b[i]; st2=step[i]**2
    if s==0:
        tot+=st2*yr[i]**2; cen+=st2*yr[i]**2; continue
    def rc(bb):
        t=math.exp(-1/(2*bb)); t2=t*t; off=-0.5+bb-t2/(1-t2); off=min(0,max(-0.5,off)); return (abs(s)+off)*(1 if s>0 else -1)
    a=rc(bb)
    tot+=st2*(yr[i]-a)**2; cen+=st2*(yr[i]-s)**2
    for j,m in enumerate(mults): ms[j]+=st2*(yr[i]-rc(bb*m))**2
    sgn=1 if s>0 else -1
    bc=min(7,max(0,int(math.floor(math.log2(bb)+5))))
    key=(int(p>0), grp(int(zz[i])), min(abs(s),2), bc)
    d=cls.setdefault(key,[0,0.0]); d[0]+=1; d[1]+=step[i]*sgn*(yr[i]-a)
gain=sum(s_*s_/c_ for c_,s_ in cls.values())
print(fn,'mse %.4f center mse %.4f oracle bias gain %.5f (%.4f dB) mults'%(tot/n,cen/n,gain/n,10*math.log10(tot/(tot-gain))), ' '.join('%.4f'%((tot-ms[2]+v)/n) for v in ms))
top=sorted(cls.items(), key=lambda kv: -kv[1][1]**2/kv[1][0])[:8]
for k,(c_,s_) in top: print('  ',k,c_,'bias %.3f gain/px %.4f'%(s_/c_, s_*s_/c_/n))
