package dev.mcpforge.data;

/** A JSONL record that parses as JSON but is not a valid sample (missing field, wrong type, bad role). */
public class SampleFormatException extends IllegalArgumentException {
    public SampleFormatException(String message) {
        super(message);
    }
}
