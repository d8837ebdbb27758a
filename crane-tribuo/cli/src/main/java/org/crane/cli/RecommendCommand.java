package org.crane.cli;

import org.crane.Recommendation;
import org.crane.data.AtomicWrite;
import org.crane.train.CraneModel;
import org.crane.train.ModelFiles;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code crane recommend}: top-K items for one user, or every user streamed to a TSV file. */
@Command(name = "recommend", mixinStandardHelpOptions = true, description = "Recommend the top-K unseen items for a user or for all users.")
final class RecommendCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "A saved model.")
    Path model;
    @ArgGroup(multiplicity = "1")
    Who who;
    @Option(names = "-k", description = "How many items (default ${DEFAULT-VALUE}).")
    int k = 10;
    @Option(names = "--out", paramLabel = "FILE.tsv", description = "With --all-users: the TSV file to write (user, rank, item, score).")
    Path out;
    @Spec
    CommandSpec spec;

    static final class Who {
        @Option(names = "--user", description = "An external user id.")
        String user;
        @Option(names = "--all-users", description = "Every user of the model (needs --out).")
        boolean all;
    }

    @Override
    public Integer call() throws Exception {
        if (k < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "-k must be >= 1");
        }
        if (out != null) {
            OutputGuard.file("--out", out, java.util.List.of(model));
        }
        CraneModel m = ModelFiles.load(model);
        PrintWriter o = spec.commandLine().getOut();
        if (who.user != null) {
            TextTable t = new TextTable("rank", "item", "score");
            for (Recommendation r : m.recommend(who.user, k)) {
                t.row(r.rank(), r.itemId(), String.format(Locale.ROOT, "%.4f", r.score()));
            }
            o.println("user " + who.user);
            o.print(t.render());
            return 0;
        }
        if (out == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--all-users needs --out FILE.tsv");
        }
        long[] rows = {0};
        AtomicWrite.to(out, tmp -> {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write("user\trank\titem\tscore\n");
                int n = m.numUsers();
                for (int start = 0; start < n; start += 1024) {
                    List<String> ids = new ArrayList<>();
                    for (int u = start; u < Math.min(n, start + 1024); u++) {
                        ids.add(m.getUsers().externalId(u));
                    }
                    for (List<Recommendation> recs : m.recommend(ids, k, false)) {
                        for (Recommendation r : recs) {
                            w.write(r.userId() + "\t" + r.rank() + "\t" + r.itemId() + "\t" + r.score() + "\n");
                            rows[0]++;
                        }
                    }
                }
            }
        });
        o.println("Wrote " + rows[0] + " rows for " + m.numUsers() + " users to " + out);
        return 0;
    }
}
