package org.crane.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.crane.train.CraneModel;
import org.crane.train.TrainingListener;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Training progress for the command line: a progress bar with ETA on a terminal, plain lines (one
 * per epoch) when output is not a terminal, as in CI logs.
 */
final class ProgressReporter implements TrainingListener, AutoCloseable {
    private final PrintWriter out;
    private final int every;
    private ProgressBar bar;

    ProgressReporter(PrintWriter out, int every) {
        this.out = out;
        this.every = Math.max(1, every);
    }

    static boolean terminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public void epochEnded(CraneModel.EpochRecord e, int maxEpochs, int bestEpoch) {
        String msg = String.format(Locale.ROOT, "loss %.4f R@20 %.4f best@%d", e.loss(), e.validRecall20(), bestEpoch);
        if (terminal()) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName("epochs").setInitialMax(maxEpochs).setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(250).showSpeed().build();
            }
            bar.stepTo(e.epoch());
            bar.setExtraMessage(" " + msg);
        } else if (e.epoch() % every == 0) {
            out.printf(Locale.ROOT, "epoch %d/%d: %s, %.2f s%n", e.epoch(), maxEpochs, msg, e.seconds());
            out.flush();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
