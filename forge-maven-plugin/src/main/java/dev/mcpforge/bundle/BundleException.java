package dev.mcpforge.bundle;

/** A bundle cannot be built or does not verify; the message says what is wrong and how to fix it. */
public class BundleException extends Exception {

    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
