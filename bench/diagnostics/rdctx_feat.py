# Offline scoring of an RD_DUMP file (bench/diagnostics/README.md, rdctx section): ideal code
# length -log2 P(bin) of the coded coefficients under variants of the coding prior.
# Needs numpy and scipy (Debian: python3-numpy python3-scipy). Usage: python3 rdctx_feat.py DUMP...
import numpy as np, sys
from scipy.optimize import minimize
def lapcdf(z):
    return np.where(z<0,0.5*np.exp(np.minimum(z,0)),1-0.5*np.exp(-np.maximum(z,0)))
def bits(lo,hi,b):
    return -np.log2(np.maximum(lapcdf(hi/b)-lapcdf(lo/b),2**-16))
for f in sys.argv[1:]:
    d=np.loadtxt(f)
    zz=d[:,0].astype(int); pl=d[:,1].astype(int); mu=d[:,3]; b=d[:,4]; lo=d[:,5]-mu; hi=d[:,6]-mu
    se=d[:,7]; sb=d[:,8]; n=d[:,9]
    s=zz>0
    lo,hi,b,se,sb,n,zz=lo[s],hi[s],b[s],se[s],sb[s],n[s],zz[s]
    base=bits(lo,hi,b).sum()
    for c in (0.5,2.0,8.0):
        F=np.log((se+c)/(sb+c))
        def cost(x): return bits(lo,hi,b*np.exp(x[0]*F+x[1])).sum()
        r=minimize(cost,[0.3,0.0],method='Nelder-Mead')
        print(f,"c=%g beta=%.3f off=%.3f  %.0f -> %.0f (%.2f%%)"%(c,r.x[0],r.x[1],base,r.fun,100*(r.fun/base-1)))
