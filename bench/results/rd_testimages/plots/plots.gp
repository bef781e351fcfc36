cd 'bench/results/rd_testimages/plots'
if (!exists("sfx")) sfx = ''
set datafile commentschars '#'
set key outside right top
set grid
set terminal svg size 720,480 dynamic noenhanced
set output 'rate_psnr.svg'.sfx
set xlabel 'bits per pixel'
set ylabel 'PSNR-RGB (dB)'
set logscale x
plot 'jpeg.dat' using 1:2 with linespoints title 'jpeg', 'round-mmse.dat' using 1:2 with linespoints title 'round-mmse', 'round-realism.dat' using 1:2 with linespoints title 'round-realism', 'rec-lrq-mmse.dat' using 1:2 with linespoints title 'rec-lrq-mmse', 'rec-lrq-realism.dat' using 1:2 with linespoints title 'rec-lrq-realism', 'rec-uq-mmse.dat' using 1:2 with linespoints title 'rec-uq-mmse', 'rec-uq-realism.dat' using 1:2 with linespoints title 'rec-uq-realism'
unset output
unset logscale x
set terminal svg size 720,480 dynamic noenhanced
set output 'rate_msssim.svg'.sfx
set xlabel 'bits per pixel'
set ylabel 'MS-SSIM (dB, -10 log10(1 - MS-SSIM))'
set logscale x
plot 'jpeg.dat' using 1:3 with linespoints title 'jpeg', 'round-mmse.dat' using 1:3 with linespoints title 'round-mmse', 'round-realism.dat' using 1:3 with linespoints title 'round-realism', 'rec-lrq-mmse.dat' using 1:3 with linespoints title 'rec-lrq-mmse', 'rec-lrq-realism.dat' using 1:3 with linespoints title 'rec-lrq-realism', 'rec-uq-mmse.dat' using 1:3 with linespoints title 'rec-uq-mmse', 'rec-uq-realism.dat' using 1:3 with linespoints title 'rec-uq-realism'
unset output
unset logscale x
set terminal svg size 720,480 dynamic noenhanced
set output 'rate_dct_w1.svg'.sfx
set xlabel 'bits per pixel'
set ylabel 'dct_w1 (lower = more realistic)'
set logscale x
plot 'jpeg.dat' using 1:4 with linespoints title 'jpeg', 'round-mmse.dat' using 1:4 with linespoints title 'round-mmse', 'round-realism.dat' using 1:4 with linespoints title 'round-realism', 'rec-lrq-mmse.dat' using 1:4 with linespoints title 'rec-lrq-mmse', 'rec-lrq-realism.dat' using 1:4 with linespoints title 'rec-lrq-realism', 'rec-uq-mmse.dat' using 1:4 with linespoints title 'rec-uq-mmse', 'rec-uq-realism.dat' using 1:4 with linespoints title 'rec-uq-realism'
unset output
unset logscale x
set terminal svg size 720,480 dynamic noenhanced
set output 'rate_swd.svg'.sfx
set xlabel 'bits per pixel'
set ylabel 'swd (lower = more realistic)'
set logscale x
plot 'jpeg.dat' using 1:5 with linespoints title 'jpeg', 'round-mmse.dat' using 1:5 with linespoints title 'round-mmse', 'round-realism.dat' using 1:5 with linespoints title 'round-realism', 'rec-lrq-mmse.dat' using 1:5 with linespoints title 'rec-lrq-mmse', 'rec-lrq-realism.dat' using 1:5 with linespoints title 'rec-lrq-realism', 'rec-uq-mmse.dat' using 1:5 with linespoints title 'rec-uq-mmse', 'rec-uq-realism.dat' using 1:5 with linespoints title 'rec-uq-realism'
unset output
unset logscale x
set terminal svg size 720,480 dynamic noenhanced
set output 'distortion_dct_w1.svg'.sfx
set xlabel 'PSNR-RGB (dB)'
set ylabel 'dct_w1'
set offsets graph 0.15, graph 0.15, graph 0.2, graph 0.1
set title 'distortion vs realism at matched rate (point 2, target 0.39 bpp)'
plot 'fixed_rate.dat' using 3:4:1 with labels point pt 7 offset char 1,1 notitle
unset title
unset offsets
unset output
set terminal svg size 720,480 dynamic noenhanced
set output 'distortion_swd.svg'.sfx
set xlabel 'PSNR-RGB (dB)'
set ylabel 'swd'
set offsets graph 0.15, graph 0.15, graph 0.2, graph 0.1
set title 'distortion vs realism at matched rate (point 2, target 0.39 bpp)'
plot 'fixed_rate.dat' using 3:5:1 with labels point pt 7 offset char 1,1 notitle
unset title
unset offsets
unset output
set terminal pngcairo size 720,480 noenhanced
set output 'rate_psnr.png'.sfx
set xlabel 'bits per pixel'
set ylabel 'PSNR-RGB (dB)'
set logscale x
plot 'jpeg.dat' using 1:2 with linespoints title 'jpeg', 'round-mmse.dat' using 1:2 with linespoints title 'round-mmse', 'round-realism.dat' using 1:2 with linespoints title 'round-realism', 'rec-lrq-mmse.dat' using 1:2 with linespoints title 'rec-lrq-mmse', 'rec-lrq-realism.dat' using 1:2 with linespoints title 'rec-lrq-realism', 'rec-uq-mmse.dat' using 1:2 with linespoints title 'rec-uq-mmse', 'rec-uq-realism.dat' using 1:2 with linespoints title 'rec-uq-realism'
unset output
unset logscale x
set terminal pngcairo size 720,480 noenhanced
set output 'rate_msssim.png'.sfx
set xlabel 'bits per pixel'
set ylabel 'MS-SSIM (dB, -10 log10(1 - MS-SSIM))'
set logscale x
plot 'jpeg.dat' using 1:3 with linespoints title 'jpeg', 'round-mmse.dat' using 1:3 with linespoints title 'round-mmse', 'round-realism.dat' using 1:3 with linespoints title 'round-realism', 'rec-lrq-mmse.dat' using 1:3 with linespoints title 'rec-lrq-mmse', 'rec-lrq-realism.dat' using 1:3 with linespoints title 'rec-lrq-realism', 'rec-uq-mmse.dat' using 1:3 with linespoints title 'rec-uq-mmse', 'rec-uq-realism.dat' using 1:3 with linespoints title 'rec-uq-realism'
unset output
unset logscale x
set terminal pngcairo size 720,480 noenhanced
set output 'rate_dct_w1.png'.sfx
set xlabel 'bits per pixel'
set ylabel 'dct_w1 (lower = more realistic)'
set logscale x
plot 'jpeg.dat' using 1:4 with linespoints title 'jpeg', 'round-mmse.dat' using 1:4 with linespoints title 'round-mmse', 'round-realism.dat' using 1:4 with linespoints title 'round-realism', 'rec-lrq-mmse.dat' using 1:4 with linespoints title 'rec-lrq-mmse', 'rec-lrq-realism.dat' using 1:4 with linespoints title 'rec-lrq-realism', 'rec-uq-mmse.dat' using 1:4 with linespoints title 'rec-uq-mmse', 'rec-uq-realism.dat' using 1:4 with linespoints title 'rec-uq-realism'
unset output
unset logscale x
set terminal pngcairo size 720,480 noenhanced
set output 'rate_swd.png'.sfx
set xlabel 'bits per pixel'
set ylabel 'swd (lower = more realistic)'
set logscale x
plot 'jpeg.dat' using 1:5 with linespoints title 'jpeg', 'round-mmse.dat' using 1:5 with linespoints title 'round-mmse', 'round-realism.dat' using 1:5 with linespoints title 'round-realism', 'rec-lrq-mmse.dat' using 1:5 with linespoints title 'rec-lrq-mmse', 'rec-lrq-realism.dat' using 1:5 with linespoints title 'rec-lrq-realism', 'rec-uq-mmse.dat' using 1:5 with linespoints title 'rec-uq-mmse', 'rec-uq-realism.dat' using 1:5 with linespoints title 'rec-uq-realism'
unset output
unset logscale x
set terminal pngcairo size 720,480 noenhanced
set output 'distortion_dct_w1.png'.sfx
set xlabel 'PSNR-RGB (dB)'
set ylabel 'dct_w1'
set offsets graph 0.15, graph 0.15, graph 0.2, graph 0.1
set title 'distortion vs realism at matched rate (point 2, target 0.39 bpp)'
plot 'fixed_rate.dat' using 3:4:1 with labels point pt 7 offset char 1,1 notitle
unset title
unset offsets
unset output
set terminal pngcairo size 720,480 noenhanced
set output 'distortion_swd.png'.sfx
set xlabel 'PSNR-RGB (dB)'
set ylabel 'swd'
set offsets graph 0.15, graph 0.15, graph 0.2, graph 0.1
set title 'distortion vs realism at matched rate (point 2, target 0.39 bpp)'
plot 'fixed_rate.dat' using 3:5:1 with labels point pt 7 offset char 1,1 notitle
unset title
unset offsets
unset output
