set datafile separator ','
set key top left
set grid
set xlabel 'information I (bits)'
csv = 'docs/rec/sweep.csv'
col(name, c) = (strcol(1) eq name) ? column(c) : 1/0
do for [fmt in 'svg png'] {
  if (fmt eq 'svg') { set terminal svg size 900,600 dynamic } else { set terminal png size 900,600 }
  set output sprintf('docs/rec/code_bits.%s.tmp', fmt)
  set ylabel 'bits per coefficient'
  set logscale y
  set title 'Code length written by the range coder, Gaussian channel (DESIGN 2)'
  plot csv using 3:(col('lrq', 9)) with lines dt 2 lw 2 lc rgb 'black' title 'KL = I', \
       csv using 3:(col('lrq', 10)) with lines dt 3 lw 2 lc rgb 'gray40' title 'D_{CS}', \
       csv using 3:(col('pfr', 11)) with lines dt 4 lc rgb 'red' title 'bound: I + log_2(I+1) + 4', \
       csv using 3:(col('gprs', 11)) with lines dt 4 lc rgb 'blue' title 'bound: I + log_2(I+2) + 3', \
       for [s in 'pfr gprs gprs-bnb uq lrq block'] csv using 3:(col(s, 8)) with linespoints title s
  set output
  set output sprintf('docs/rec/steps.%s.tmp', fmt)
  set ylabel 'steps (samples drawn) per coefficient or block'
  set title 'Runtime: mean and median steps'
  plot for [s in 'pfr gprs gprs-bnb'] csv using 3:(col(s, 6)) with linespoints title s.' mean', \
       for [s in 'pfr gprs gprs-bnb'] csv using 3:(col(s, 7)) with linespoints dt 2 title s.' median', \
       csv using 3:(2**column(3)) with lines dt 3 lc rgb 'black' title '2^I'
  set output
  unset logscale y
  set output sprintf('docs/rec/overhead.%s.tmp', fmt)
  set ylabel 'bits per coefficient minus I'
  set title 'Overhead over the information: code length - I, and D_{CS} - I'
  set yrange [0:*]
  plot csv using 3:(col('lrq', 10) - column(3)) with lines dt 3 lw 2 lc rgb 'gray40' title 'D_{CS} - I', \
       for [s in 'pfr gprs gprs-bnb uq lrq block'] csv using 3:(col(s, 8) - column(3)) with linespoints title s
  set output
  set autoscale y
}
