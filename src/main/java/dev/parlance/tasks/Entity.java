package dev.parlance.tasks;

/** A named entity: its type (e.g. PER), mean score, and span in code points of the text. */
public record Entity(String type, double score, int start, int end) {
}
