// Preloaded into the Thread Sanitizer run only (scripts/check-thread-sanitizer.sh).
//
// librdkafka makes its threads, locks and condition variables with C11's <threads.h>. glibc
// implements those by calling its pthread functions internally, where the sanitizer's
// interceptors cannot see them: a thread it never registered crashes its allocator, and locks
// it never saw would hide the order librdkafka's threads impose. Defining the C11 functions
// here, as calls to the pthread functions the sanitizer intercepts, makes both visible.
// (glibc's mtx_t and cnd_t are pthread_mutex_t and pthread_cond_t; init and destroy stay glibc's.)
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <threads.h>

struct start { thrd_start_t func; void *arg; };

static void *trampoline(void *raw) {
    struct start s = *(struct start *)raw;
    free(raw);
    return (void *)(intptr_t)s.func(s.arg);
}

int thrd_create(thrd_t *thread, thrd_start_t func, void *arg) {
    struct start *s = malloc(sizeof *s);
    if (!s) return thrd_nomem;
    s->func = func;
    s->arg = arg;
    int rc = pthread_create((pthread_t *)thread, NULL, trampoline, s);
    if (rc) { free(s); return thrd_error; }
    return thrd_success;
}

int thrd_join(thrd_t thread, int *result) {
    void *value;
    if (pthread_join((pthread_t)thread, &value)) return thrd_error;
    if (result) *result = (int)(intptr_t)value;
    return thrd_success;
}

int thrd_detach(thrd_t thread) { return pthread_detach((pthread_t)thread) ? thrd_error : thrd_success; }

int mtx_lock(mtx_t *m) { return pthread_mutex_lock((pthread_mutex_t *)m) ? thrd_error : thrd_success; }
int mtx_unlock(mtx_t *m) { return pthread_mutex_unlock((pthread_mutex_t *)m) ? thrd_error : thrd_success; }
int mtx_trylock(mtx_t *m) {
    int rc = pthread_mutex_trylock((pthread_mutex_t *)m);
    return rc == 0 ? thrd_success : rc == 16 /* EBUSY */ ? thrd_busy : thrd_error;
}
int cnd_wait(cnd_t *c, mtx_t *m) {
    return pthread_cond_wait((pthread_cond_t *)c, (pthread_mutex_t *)m) ? thrd_error : thrd_success;
}
int cnd_timedwait(cnd_t *c, mtx_t *m, const struct timespec *t) {
    int rc = pthread_cond_timedwait((pthread_cond_t *)c, (pthread_mutex_t *)m, t);
    return rc == 0 ? thrd_success : rc == 110 /* ETIMEDOUT */ ? thrd_timedout : thrd_error;
}
int cnd_signal(cnd_t *c) { return pthread_cond_signal((pthread_cond_t *)c) ? thrd_error : thrd_success; }
int cnd_broadcast(cnd_t *c) { return pthread_cond_broadcast((pthread_cond_t *)c) ? thrd_error : thrd_success; }
