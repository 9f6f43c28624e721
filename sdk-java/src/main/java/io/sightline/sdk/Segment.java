package io.sightline.sdk;

import java.io.File;

/** One append-only file of the queue: its number, its readable length and how many intact records it holds. */
final class Segment {
    final long seq;
    final File file;
    long length;
    int records;

    Segment(long seq, File file, long length, int records) {
        this.seq = seq;
        this.file = file;
        this.length = length;
        this.records = records;
    }

    static String name(long seq) {
        return String.format("%020d.seg", seq);
    }

    /** The number in a segment's file name, or -1 for any other file. */
    static long seqOf(String fileName) {
        if (!fileName.endsWith(".seg") || fileName.length() != 24) {
            return -1;
        }
        try {
            return Long.parseLong(fileName.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
