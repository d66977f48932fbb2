package org.omnibus.bus.driver;

/**
 * A row of the driver table: one method of one interface of org.freedesktop.DBus.
 *
 * @param name         method name.
 * @param inSignature  signature of the arguments.
 * @param outSignature signature of the reply.
 * @param flags        {@link #ANY_PATH} and/or {@link #PRIVILEGED}.
 * @param handler      the code.
 */
public record DriverMethod(String name, String inSignature, String outSignature, int flags, Handler handler)
{
    /** Callable at any object path (else only at /org/freedesktop/DBus). */
    public static final int ANY_PATH = 1;
    /** Only for callers with the bus' uid or uid 0. */
    public static final int PRIVILEGED = 2;

    /**
     * The code of a driver method.
     */
    @FunctionalInterface
    public interface Handler
    {
        /**
         * Handle a call whose path, privilege and signature were checked; answer through the call.
         *
         * @param call the call.
         */
        void handle(DriverCall call);
    }
}
