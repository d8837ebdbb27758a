package org.crane.engine;

/** An ONNX Runtime failure, with what was being done. */
public final class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed.
     */
    public EngineException(String message) {
        super(message);
    }

    /**
     * @param message what failed.
     * @param cause the runtime's exception.
     */
    public EngineException(String message, Throwable cause) {
        super(message + ": " + brief(cause.getMessage()), cause);
    }

    /** The first line of a runtime's message, at most 200 characters: its later lines list internals. */
    private static String brief(String m) {
        if (m == null) {
            return "no detail";
        }
        return org.crane.data.Excerpt.of(m.strip().lines().findFirst().orElse(""), 200);
    }
}
