/** The {@code crane} command-line tool (picocli): one class per command. */
package org.crane.cli;
