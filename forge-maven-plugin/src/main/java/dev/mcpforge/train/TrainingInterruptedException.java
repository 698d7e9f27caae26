package dev.mcpforge.train;

/** The worker stopped before training finished (killed, crashed); the last checkpoint is kept for the next run. */
public class TrainingInterruptedException extends RuntimeException {
    public TrainingInterruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
