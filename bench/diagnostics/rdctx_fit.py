# Offline scoring of an RD_DUMP file (bench/diagnostics/README.md, rdctx section): ideal code
# length -log2 P(bin) of the coded coefficients under variants of the coding prior.
# Needs numpy and scipy (Debian: python3-numpy python3-scipy). Usage: python3 rdctx_fit.py DUMP...
import numpy as np, sys
from scipy.optimize import minimize
def load(f):
    d=np.loadtxt(f)
    return d
def lapcdf(z):
    return np.where(z<0,0.5*np.exp(np.minimum(z,0)),1-0.5*np.exp(-np.maximum(z,0)))
def mass(lo,hi,b,comps):
    m=0
    for w,a in comps:
        m=m+w*(lapcdf(hi/(a*b))-lapcdf(lo/(a*b)))
    return np.maximum(m,2**-16)
for f in sys.argv[1:]:
    d=load(f)
    zz=d[:,0]; y=d[:,2]; mu=d[:,3]; b=d[:,4]; lo=d[:,5]-mu; hi=d[:,6]-mu
    for name,sel in [("AC",zz>0),("DC",zz==0)]:
        L,H,B=lo[sel],hi[sel],b[sel]
        base=-np.log2(mass(L,H,B,[(1,1)])).sum()
        def c1(x): return -np.log2(mass(L,H,B,[(1,np.exp(x[0]))])).sum()
        r1=minimize(c1,[0],method='Nelder-Mead')
        def c2(x):
            p=1/(1+np.exp(-x[0])); return -np.log2(mass(L,H,B,[(p,np.exp(x[1])),(1-p,np.exp(x[2]))])).sum()
        r2=minimize(c2,[1.0,np.log(0.8),np.log(2)],method='Nelder-Mead',options={'maxiter':400})
        p=1/(1+np.exp(-r2.x[0]))
        print(f,name,len(L),"base %.0f bits"%base,"scale %.3f: %.0f (%.2f%%)"%(np.exp(r1.x[0]),r1.fun,100*(r1.fun/base-1)),
              "mix p=%.3f a1=%.3f a2=%.3f: %.0f (%.2f%%)"%(p,np.exp(r2.x[1]),np.exp(r2.x[2]),r2.fun,100*(r2.fun/base-1)))
