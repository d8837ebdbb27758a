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
        super(message + ": " + cause.getMessage(), cause);
    }
}
