import sys, os; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mmse2_load import *
for fn in sys.argv[1:]:
    c=load(fn,14)
    pl,bx,by,zz,sig,b,b0,mean,skip,x,hw,y,mm,far=c
    n=len(pl)
    tot={}; 
    mults=[0.5,0.7,1.0,1.4,2.0,3.0]
    for i in range(n):
        cls = 'skip' if skip[i] else ('zero' if (x[i]-hw[i]-mean[i])<0<(x[i]+hw[i]-mean[i]) else 'far')
        if zz[i]==0: cls='dc'+cls
        key=(int(pl[i]>0),cls)
        s2=sig[i]**2
        d=tot.setdefault(key,[0,0.0,0.0,0.0]+[0.0]*len(mults))
        d[0]+=1
        est=far[i]
        d[1]+=s2*(y[i]-est)**2
        if not skip[i]:
            sgn = 1 if x[i]-mean[i]>=0 else -1
            d[2]+=sig[i]*sgn*(y[i]-est)   # folded bias in sample units
            d[3]+=s2
            if cls=='zero':
                lo=x[i]-hw[i]-mean[i]; hi=x[i]+hw[i]-mean[i]
                for j,m in enumerate(mults):
                    e=mean[i]+tmean(lo,hi,b[i]*m)
                    d[4+j]+=s2*(y[i]-e)**2
    npx=sum(v[0] for k,v in tot.items())
    print(fn, 'coefs',npx)
    for k in sorted(tot):
        v=tot[k]
        print(k, v[0], 'sse/coef %.3f'%(v[1]/npx), 'bias %.4f'%(v[2]/max(v[0],1)), ' '.join('%.4f'%(x_/npx) for x_ in v[4:]) if k[1]=='zero' else '')
