/**
 * Exposition of the server's counters in formats monitoring systems read (plain Java; the app layer feeds it
 * the stats records and serves the text).
 */
package org.videoroom.stats;
