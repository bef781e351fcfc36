/* Job runner (see codec_threads.h): POSIX threads pulling job indices from a
 * mutex-protected counter, jobs handed out in index order. */
#define _POSIX_C_SOURCE 200809L
#include "codec_threads.h"

#include <pthread.h>
#include <unistd.h>

enum { MAX_THREADS = 64 };

typedef struct {
    pthread_mutex_t lock;
    int next, njobs;
    void (*fn)(void *, int);
    void *arg;
} job_queue;

int recimg_thread_count(int threads, int njobs)
{
    long n = threads;
    if (n <= 0) {
        n = sysconf(_SC_NPROCESSORS_ONLN);
        if (n < 1)
            n = 1;
    }
    if (n > njobs)
        n = njobs;
    if (n > MAX_THREADS)
        n = MAX_THREADS;
    return n < 1 ? 1 : (int)n;
}

static void *worker(void *p)
{
    job_queue *q = (job_queue *)p;
    for (;;) {
        int j;
        pthread_mutex_lock(&q->lock);
        j = q->next < q->njobs ? q->next++ : -1;
        pthread_mutex_unlock(&q->lock);
        if (j < 0)
            return NULL;
        q->fn(q->arg, j);
    }
}

void recimg_run_jobs(int nthreads, int njobs, void (*fn)(void *arg, int job), void *arg)
{
    pthread_t tid[MAX_THREADS];
    int started = 0;
    job_queue q;
    if (nthreads > MAX_THREADS)
        nthreads = MAX_THREADS;
    if (nthreads <= 1 || njobs <= 1 || pthread_mutex_init(&q.lock, NULL) != 0) {
        for (int j = 0; j < njobs; j++)
            fn(arg, j);
        return;
    }
    q.next = 0;
    q.njobs = njobs;
    q.fn = fn;
    q.arg = arg;
    for (int t = 1; t < nthreads && t < njobs; t++) {
        if (pthread_create(&tid[started], NULL, worker, &q) != 0)
            break;
        started++;
    }
    worker(&q);
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&q.lock);
}
