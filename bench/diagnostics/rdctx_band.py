# Offline scoring of an RD_DUMP file (bench/diagnostics/README.md, rdctx section): ideal code
# length -log2 P(bin) of the coded coefficients under variants of the coding prior.
# Needs numpy and scipy (Debian: python3-numpy python3-scipy). Usage: python3 rdctx_band.py DUMP...
import numpy as np, sys
def lapcdf(z):
    return np.where(z<0,0.5*np.exp(np.minimum(z,0)),1-0.5*np.exp(-np.maximum(z,0)))
def bits(lo,hi,b):
    return -np.log2(np.maximum(lapcdf(hi/b)-lapcdf(lo/b),2**-16))
ks=np.exp(np.linspace(np.log(0.5),np.log(2),41))
for f in sys.argv[1:]:
    d=np.loadtxt(f)
    zz=d[:,0].astype(int); pl=d[:,1].astype(int); mu=d[:,3]; b=d[:,4]; lo=d[:,5]-mu; hi=d[:,6]-mu
    base=bits(lo,hi,b).sum(); best=0
    gains=[]
    for p in (0,1,2):
      for z in range(64):
        s=(zz==z)&(pl==p)
        if s.sum()==0: continue
        c=[bits(lo[s],hi[s],k*b[s]).sum() for k in ks]
        i=int(np.argmin(c)); best+=c[i]; gains.append((p,z,ks[i],s.sum()))
    print(f,"base %.0f per-plane-band gain %.0f (%.2f%%)"%(base,best,100*(best/base-1)))
    g=[x for x in gains if x[3]>2000]
    print(" sample gains:", ["p%d z%d %.2f n%d"%x for x in g[:12]])
