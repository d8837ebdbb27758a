/**
 * Serving a trained model over HTTP: {@link org.crane.serve.ModelServer}, a JSON API on the JDK's own
 * HTTP server ({@code com.sun.net.httpserver}), behind {@code crane serve}.
 */
package org.crane.serve;
