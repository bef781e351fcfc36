"""bench/metrics_crosscheck.py REF TEST: independent reference values for `recimg compare`.

PSNR and SSIM come from scikit-image (skimage.metrics, Gaussian weights, sigma 1.5,
population covariance, data range 255, on luma Y = .299R + .587G + .114B); MS-SSIM is a
numpy/scipy transcription of Wang's msssim.m (11x11 Gaussian, 'valid' windows, 2x2 mean with
symmetric padding, 5 scales). Reads binary PGM/PPM only. Run through
bench/metrics_crosscheck.sh, which provides scikit-image. Not part of ctest.
"""
import sys, numpy as np
from scipy.signal import convolve2d
from skimage.metrics import structural_similarity, peak_signal_noise_ratio
def readpnm(p):
    d=open(p,'rb').read()
    toks=[];i=0
    while len(toks)<4:
        while d[i:i+1].isspace(): i+=1
        if d[i:i+1]==b'#':
            while d[i:i+1] not in (b'\n',b'\r'): i+=1
            continue
        j=i
        while not d[j:j+1].isspace(): j+=1
        toks.append(d[i:j]); i=j
    i+=1
    w,h=int(toks[1]),int(toks[2]); c=3 if toks[0]==b'P6' else 1
    a=np.frombuffer(d[i:i+w*h*c],dtype=np.uint8).reshape(h,w,c).astype(np.float64)
    return a
def Y(a):
    return a[:,:,0] if a.shape[2]==1 else 0.299*a[:,:,0]+0.587*a[:,:,1]+0.114*a[:,:,2]
def gwin():
    x=np.arange(11)-5; g=np.exp(-x*x/(2*1.5**2)); g/=g.sum(); return np.outer(g,g)
def ssim_cs(x,y):
    w=gwin(); C1=(0.01*255)**2; C2=(0.03*255)**2
    f=lambda z: convolve2d(z,w,mode='valid')
    mx,my=f(x),f(y); sxx=f(x*x)-mx*mx; syy=f(y*y)-my*my; sxy=f(x*y)-mx*my
    cs=(2*sxy+C2)/(sxx+syy+C2); l=(2*mx*my+C1)/(mx*mx+my*my+C1)
    return (l*cs).mean(), cs.mean()
def down(z):
    z=np.pad(z,((0,1),(0,1)),mode='symmetric')
    s=(z[:-1,:-1]+z[1:,:-1]+z[:-1,1:]+z[1:,1:])/4
    return s[::2,::2]
def msssim(x,y):
    wts=[0.0448,0.2856,0.3001,0.2363,0.1333]; r=1
    for j in range(5):
        s,cs=ssim_cs(x,y)
        if j==4: r*=max(s,0)**wts[j]
        else: r*=max(cs,0)**wts[j]; x,y=down(x),down(y)
    return r
a=readpnm(sys.argv[1]); b=readpnm(sys.argv[2])
ya,yb=Y(a),Y(b)
print("psnr_rgb %.6f psnr_y %.6f ssim_skimage %.6f ms_ssim_numpy %.6f" % (
  peak_signal_noise_ratio(a,b,data_range=255), peak_signal_noise_ratio(ya,yb,data_range=255),
  structural_similarity(ya,yb,gaussian_weights=True,sigma=1.5,use_sample_covariance=False,data_range=255),
  msssim(ya,yb)))
