package org.crane.engine;

import java.util.concurrent.Callable;

/**
 * Runs work that calls into ONNX Runtime on a thread with a large stack. Some of ONNX Runtime's
 * native code paths recurse deeply on long node chains (a CRANE training graph has hundreds of
 * nodes); on Java's 1 MB default thread stack that overflowed into a SIGSEGV that killed the JVM
 * without an error report, and whether it did depended on how much stack the caller had used
 * (measured: it came and went with the length of the class path). The stack is reserved virtual
 * memory; only the pages actually touched are committed.
 */
public final class LargeStack {
    /** Stack size of the helper thread. */
    public static final long STACK_BYTES = 512L << 20;
    private static final ThreadLocal<Boolean> ON_LARGE_STACK = ThreadLocal.withInitial(() -> false);

    private LargeStack() {
    }

    /**
     * Runs the work on a fresh large-stack thread and waits for it (or directly, when the caller is
     * already on such a thread); exceptions pass through unchanged.
     * @param name the thread's name.
     * @param work the work.
     * @param <T> its result type.
     * @return its result.
     * @throws Exception what the work threw.
     */
    public static <T> T call(String name, Callable<T> work) throws Exception {
        if (ON_LARGE_STACK.get()) {
            return work.call(); // already on one (e.g. training started from the CLI): no second thread
        }
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(null, () -> {
            ON_LARGE_STACK.set(true);
            try {
                result[0] = work.call();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, name, STACK_BYTES);
        t.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                t.interrupt();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] instanceof Exception e) {
            throw e;
        } else if (failure[0] instanceof Error e) {
            throw e;
        } else if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
        @SuppressWarnings("unchecked")
        T r = (T) result[0];
        return r;
    }

    /**
     * {@link #call} for work that throws only unchecked exceptions.
     * @param name the thread's name.
     * @param work the work.
     * @param <T> its result type.
     * @return its result.
     */
    public static <T> T get(String name, java.util.function.Supplier<T> work) {
        try {
            return call(name, work::get);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
