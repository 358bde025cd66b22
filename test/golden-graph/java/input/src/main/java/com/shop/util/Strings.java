package com.shop.util;

public final class Strings {
    public static String pad(String text, int width) {
        return String.format("%-" + width + "s", text);
    }
}
