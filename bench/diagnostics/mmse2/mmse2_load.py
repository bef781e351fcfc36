import array, math, sys
def load(path, n):
    a = array.array('d'); 
    with open(path,'rb') as f: a.frombytes(f.read())
    return [a[i::n] for i in range(n)]
def etm(L,b):
    r=L/b
    if r>700: return b
    if r<1e-8: return 0.5*L
    return b - L/math.expm1(r)
def tmean(lo,hi,b):
    if not hi>lo: return 0.5*(lo+hi)
    if lo>=0: return lo+etm(hi-lo,b)
    if hi<=0: return hi-etm(hi-lo,b)
    A=math.expm1(-hi/b); B=math.expm1(lo/b); m=-(A+B)
    if not m>0: return 0.5*(lo+hi)
    return (-(lo+hi)+(b-lo)*B-(b+hi)*A)/m
GS=[1,6,15,21,28,36,45,55,64]
def grp(zz):
    if zz==0: return -1
    g=0
    while zz>=GS[g+1]: g+=1
    return g
