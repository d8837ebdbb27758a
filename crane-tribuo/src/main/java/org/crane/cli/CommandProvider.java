package org.crane.cli;

import java.util.List;

/**
 * Adds commands to {@code crane} from other modules, found with {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/org.crane.cli.CommandProvider} file naming the implementation).
 */
public interface CommandProvider {
    /** @return picocli command objects to add as subcommands. */
    List<Object> commands();
}
