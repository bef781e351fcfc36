/* A minimal job runner for the codec's independent units of work (issue 8).
 *
 * The payload holds one range-coder stream per plane (docs/FORMAT.md), and a
 * plane's coding depends on nothing outside that plane, so the planes can be
 * coded by different threads; which thread codes which plane, and in what
 * order, never changes a byte of the output. */
#ifndef CODEC_CODEC_THREADS_H
#define CODEC_CODEC_THREADS_H

/* Worker count for a `threads` parameter: 0 = the online processors (at least
 * 1), otherwise the value itself; never more than njobs. */
int recimg_thread_count(int threads, int njobs);

/* Runs fn(arg, j) once for every j in 0..njobs-1 on up to nthreads threads
 * (the calling thread is one of them); returns when all have finished. If a
 * thread cannot be started the remaining jobs run on the threads that exist,
 * so the jobs always complete. fn must not depend on which thread runs it. */
void recimg_run_jobs(int nthreads, int njobs, void (*fn)(void *arg, int job), void *arg);

#endif
