/** Small runnable programs that show the Java API: train, configure, compare, export. */
package org.crane.examples;
