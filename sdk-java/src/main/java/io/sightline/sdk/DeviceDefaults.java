package io.sightline.sdk;

import java.util.Locale;

/** What the SDK can tell about its device without Android's classes: system properties only. */
final class DeviceDefaults {
    static final String VERSION = "0.1.0";

    private DeviceDefaults() {
    }

    /** Android's runtime calls itself Dalvik (ART keeps the name), and its os.name is "Linux". */
    static boolean android() {
        return "Dalvik".equals(System.getProperty("java.vm.name"));
    }

    static String os() {
        return android() ? "Android" : System.getProperty("os.name");
    }

    /** On Android os.version is the kernel's, not Android's: the app passes Build.VERSION.RELEASE instead. */
    static String osVersion() {
        return android() ? null : System.getProperty("os.version");
    }

    /** Android's default agent names the device and OS, which the server reads; elsewhere the SDK names itself. */
    static String userAgent() {
        String agent = System.getProperty("http.agent");
        return android() && agent != null ? agent : "Sightline-Java/" + VERSION;
    }

    /** A BCP 47 tag of at most 35 characters (the server's bound), or null for an undetermined locale. */
    static String locale(Locale locale) {
        String tag = locale.toLanguageTag();
        if (tag.equals("und")) {
            return null;
        }
        if (tag.length() > 35) {
            tag = locale.getCountry().isEmpty() ? locale.getLanguage() : locale.getLanguage() + "-" + locale.getCountry();
        }
        return tag;
    }
}
