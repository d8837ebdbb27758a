package org.crane.provenance;

import org.crane.cli.CommandProvider;

import java.util.List;

/** Adds {@code compare} and {@code reproduce} to the {@code crane} command. */
public final class ProvenanceCommands implements CommandProvider {
    /** Found by ServiceLoader. */
    public ProvenanceCommands() {
    }

    @Override
    public List<Object> commands() {
        return List.of(new CompareCommand(), new ReproduceCommand());
    }
}
