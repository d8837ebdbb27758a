package org.crane.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code crane} command line in-process and captures what it prints (shared by module tests). */
public final class CliRunner {
    private CliRunner() {
    }

    /**
     * Output of one command line.
     * @param code the exit code.
     * @param out standard output.
     * @param err standard error.
     */
    public record Run(int code, String out, String err) {
    }

    /**
     * @param args the arguments.
     * @return what the command did.
     */
    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CraneCli.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * @param a a command line.
     * @param b more arguments.
     * @return a followed by b.
     */
    public static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
