/**
 * End-to-end tests: real D-Bus clients, clusters, processes, namespaces.
 * <p>
 * Nothing lives here yet; see docs/ARCHITECTURE.md for what this module will hold.
 */
package org.omnibus.systemtest;
