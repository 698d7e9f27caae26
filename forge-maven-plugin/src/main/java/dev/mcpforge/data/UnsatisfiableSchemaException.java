package dev.mcpforge.data;

/** A tool's input schema admits no value the sampler can produce; the message says which part and why. */
public class UnsatisfiableSchemaException extends IllegalArgumentException {
    public UnsatisfiableSchemaException(String message) {
        super(message);
    }
}
