package org.crane.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

/**
 * The {@code crane} command: {@code stats}, {@code demo}, and the commands of later layers.
 * Exit codes: 0 success, 1 bad input (the message names the file and line), 2 bad usage.
 */
@Command(name = "crane", mixinStandardHelpOptions = true, version = "crane 0.1.0",
        description = "CRANE multimodal graph recommender for Tribuo: train, evaluate, recommend.",
        footer = "%nAlso spark-recommend: every user's top-K as a Spark job ('crane spark-recommend --help'; the launcher then puts "
                + "Spark on the class path).",
        subcommands = {StatsCommand.class, DemoCommand.class, TrainCommand.class, SuiteCommand.class, EvaluateCommand.class, RecommendCommand.class,
                ExportCommand.class, CompareCommand.class, ReproduceCommand.class, TuneCommand.class, ServeCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class CraneCli implements Runnable {
    /** Exit code for bad input data or files. */
    public static final int EXIT_BAD_INPUT = 1;
    /** Exit code for bad usage. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces on errors.")
    boolean debug;

    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Log the library's progress (one line per epoch, graph builds, choices made); by default only warnings.")
    boolean verbose;

    /** The library's root logger, held so that its level is not lost to garbage collection. */
    private static final java.util.logging.Logger LIBRARY = java.util.logging.Logger.getLogger("org.crane");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command; see 'crane --help'");
    }

    /**
     * Runs a command line.
     * @param args the arguments.
     * @param out standard output.
     * @param err standard error.
     * @param extraCommands more {@code @Command} objects (a module with its own dependencies, such as the Spark
     *        module, adds its commands here rather than in this module).
     * @return the exit code.
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, Object... extraCommands) {
        CraneCli root = new CraneCli();
        CommandLine cl = new CommandLine(root);
        for (Object c : extraCommands) {
            cl.addSubcommand(c);
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_BAD_INPUT);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Throwable t = e instanceof UncheckedIOException ? e.getCause() : e;
            commandLine.getErr().println("error: " + message(t));
            if (root.debug) {
                t.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return EXIT_BAD_INPUT;
        });
        // quiet by default: warnings only; --verbose shows the per-epoch log (restored afterwards for in-process callers)
        java.util.logging.Level before = LIBRARY.getLevel();
        LIBRARY.setLevel(java.util.Arrays.asList(args).contains("--verbose") ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING);
        try {
            int code = cl.execute(args);
            out.flush();
            err.flush();
            return code;
        } catch (OutOfMemoryError | StackOverflowError e) {
            err.println("error: " + message(e));
            if (root.debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return EXIT_BAD_INPUT;
        } finally {
            LIBRARY.setLevel(before);
        }
    }

    /**
     * @param t what a command threw.
     * @return one line for the user: the file and what went wrong, never an exception class for
     *         problems with input, at most {@value #MAX_MESSAGE} characters.
     */
    static String message(Throwable t) {
        String msg;
        if (t instanceof NoSuchFileException n) {
            msg = n.getFile() + ": " + (n.getReason() == null ? "file not found" : n.getReason());
        } else if (t instanceof java.nio.file.AccessDeniedException a) {
            msg = a.getFile() + ": permission denied";
        } else if (t instanceof java.nio.file.FileSystemException f) {
            msg = f.getFile() + ": " + (f.getReason() == null ? "cannot be read or written" : f.getReason());
        } else if (t instanceof IOException || t instanceof IllegalArgumentException || t instanceof IllegalStateException
                || t instanceof org.crane.engine.EngineException) {
            msg = String.valueOf(t.getMessage());
        } else if (t instanceof OutOfMemoryError) {
            msg = "out of memory (this JVM may use " + org.crane.data.MemoryBudget.human(Runtime.getRuntime().maxMemory())
                    + "); raise -Xmx (CRANE_JAVA_OPTS=-Xmx16g for the crane launcher) or use smaller settings";
        } else if (t instanceof StackOverflowError) {
            msg = "the computation nests too deeply (stack overflow); use fewer recursions or layers";
        } else {
            msg = "internal error (" + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage())
                    + "); please report it with the output of --debug";
        }
        return org.crane.data.Excerpt.of(msg, MAX_MESSAGE);
    }

    /** The longest error message printed (messages quote input only in short excerpts already). */
    static final int MAX_MESSAGE = 2000;

    /**
     * Entry point.
     * @param args the arguments.
     */
    public static void main(String[] args) {
        launch(args);
    }

    /**
     * Runs a command line as a program and exits with its code.
     * @param args the arguments.
     * @param extraCommands more {@code @Command} objects, as for {@link #execute}.
     */
    public static void launch(String[] args, Object... extraCommands) {
        // one line per log record (java.util.logging's default takes two), unless the user chose a format
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tH:%1$tM:%1$tS %4$s %3$s: %5$s%6$s%n");
        }
        // ONNX Runtime recurses deeply on long graphs: run every command on a large stack (see LargeStack).
        System.exit(org.crane.engine.LargeStack.get("crane", () -> execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                extraCommands)));
    }
}
