package org.crane.train;

import java.nio.file.Path;
import java.util.List;

/**
 * When and where a training run saves {@link TrainingCheckpoint}s, and which one it resumes from.
 * Not part of the trainer's configuration: checkpointing changes how a run survives a crash, never
 * the model it produces.
 *
 * @param file where checkpoints go (null: none).
 * @param every save after every this many epochs (0: never).
 * @param resumeFrom the checkpoint to continue from, or null to start afresh.
 * @param arguments the command line to record in each checkpoint (may be empty).
 */
public record Checkpointing(Path file, int every, TrainingCheckpoint resumeFrom, List<String> arguments) {
    /** No checkpoints, no resume. */
    public static final Checkpointing NONE = new Checkpointing(null, 0, null, List.of());

    /**
     * @param file where checkpoints go.
     * @param every epochs between checkpoints.
     * @param resumeFrom the checkpoint to continue from, or null.
     * @param arguments the command line to record.
     */
    public Checkpointing {
        if (every < 0) {
            throw new IllegalArgumentException("Checkpoint interval must be >= 0 epochs, got " + every);
        }
        if (every > 0 && file == null) {
            throw new IllegalArgumentException("A checkpoint interval needs a checkpoint file");
        }
        arguments = List.copyOf(arguments);
    }

    /**
     * @param every epochs between checkpoints (>= 1).
     * @param file where they go (replaced atomically each time).
     * @return the policy.
     */
    public static Checkpointing every(int every, Path file) {
        if (every < 1) {
            throw new IllegalArgumentException("Checkpoint interval must be >= 1 epoch, got " + every);
        }
        return new Checkpointing(file, every, null, List.of());
    }

    /**
     * @param checkpoint where to continue from.
     * @return this policy, resuming from the checkpoint.
     */
    public Checkpointing resumingFrom(TrainingCheckpoint checkpoint) {
        return new Checkpointing(file, every, checkpoint, arguments);
    }

    /**
     * @param args the command line to record in each checkpoint.
     * @return this policy, recording them.
     */
    public Checkpointing withArguments(List<String> args) {
        return new Checkpointing(file, every, resumeFrom, args);
    }

    /**
     * @param epoch an epoch just finished (1-based).
     * @return whether a checkpoint is due after it.
     */
    boolean dueAfter(int epoch) {
        return every > 0 && epoch % every == 0;
    }
}
