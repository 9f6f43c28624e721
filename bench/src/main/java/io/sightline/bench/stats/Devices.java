package io.sightline.bench.stats;

import java.util.List;
import java.util.SplittableRandom;

/**
 * What visitors use: three in four run the native app (its SDK reports OS, model and app version, no browser), the
 * rest open the WebAR page in a browser (the server's User-Agent parsing fills OS, model and a major browser
 * version, no app version). Shares are skewed the way store statistics are: recent iPhones and a few Samsung and
 * Pixel models lead, a long tail follows. Values are spelled as the server's DeviceDetector stores them.
 */
final class Devices {
    record Device(boolean web, String os, String osVersion, String deviceType, String model, String browser,
                  String browserVersion) {}

    private record Family(boolean web, String os, String deviceType, List<String> models, Weighted modelPick,
                          List<String> osVersions, Weighted versionPick, List<String> browsers, Weighted browserPick) {
        Device pick(SplittableRandom r) {
            String browser = browsers.isEmpty() ? null : browsers.get(browserPick.next(r));
            String browserVersion = browser == null ? null : BROWSER_VERSIONS.get(browser)[r.nextInt(3)];
            return new Device(web, os, osVersions.get(versionPick.next(r)), deviceType, models.get(modelPick.next(r)),
                    browser, browserVersion);
        }
    }

    private static final java.util.Map<String, String[]> BROWSER_VERSIONS = java.util.Map.of(
            "Safari", new String[] {"26", "18", "17"},
            "Chrome", new String[] {"142", "141", "140"},
            "Samsung Internet", new String[] {"28", "27", "26"},
            "Firefox", new String[] {"145", "144", "140"},
            "Edge", new String[] {"142", "141", "140"});

    private static final List<String> IPHONES = List.of("iPhone17,1", "iPhone17,3", "iPhone16,2", "iPhone16,1",
            "iPhone15,3", "iPhone15,2", "iPhone14,7", "iPhone14,5", "iPhone14,2", "iPhone13,2", "iPhone18,1",
            "iPhone18,3", "iPhone12,1", "iPhone14,6");
    private static final List<String> IPADS = List.of("iPad13,18", "iPad14,3", "iPad16,3", "iPad13,1", "iPad12,1");
    private static final List<String> ANDROID_PHONES = List.of("SM-S921B", "SM-A556B", "SM-S911B", "Pixel 9",
            "SM-A546B", "Pixel 8a", "SM-G991B", "23127PN0CG", "CPH2581", "moto g84 5G", "SM-S928B", "Pixel 7",
            "2311DRK48G", "SM-A156B", "Nothing A065", "XQ-DQ72", "SM-G781B", "Pixel 9 Pro", "RMX3771", "V2318");
    private static final List<String> ANDROID_TABLETS = List.of("SM-X710", "SM-X210", "TB-J616F", "SM-X516B");
    private static final List<String> IOS = List.of("26.1", "18.6", "26.0", "18.5", "17.7", "26.2", "16.7");
    private static final List<String> ANDROID = List.of("15", "14", "16", "13", "12", "11");
    private static final List<String> WEB_IOS = List.of("26.1", "18.6", "26.0", "17.7");

    private final List<Family> families;
    private final Weighted familyPick;

    Devices() {
        families = List.of(
                app("iOS", "phone", IPHONES, IOS),
                app("Android", "phone", ANDROID_PHONES, ANDROID),
                app("iOS", "tablet", IPADS, IOS),
                app("Android", "tablet", ANDROID_TABLETS, ANDROID),
                web("iOS", "phone", List.of("Apple iPhone"), WEB_IOS, List.of("Safari", "Chrome")),
                web("Android", "phone", List.of("Samsung SM-S921B", "Google Pixel 8", "Samsung SM-A556B",
                        "Xiaomi 23127PN0CG", "Android Mobile"), ANDROID, List.of("Chrome", "Samsung Internet", "Firefox")),
                web("Windows", "desktop", List.of("Desktop"), List.of("11", "10"), List.of("Chrome", "Edge", "Firefox")),
                web("macOS", "desktop", List.of("Apple Macintosh"), List.of("26", "15", "14"), List.of("Safari", "Chrome")));
        familyPick = new Weighted(new double[] {0.36, 0.28, 0.07, 0.04, 0.11, 0.08, 0.04, 0.02});
    }

    private static Family app(String os, String type, List<String> models, List<String> versions) {
        return new Family(false, os, type, models, Weighted.zipf(models.size(), 0.9), versions,
                Weighted.zipf(versions.size(), 1.2), List.of(), null);
    }

    private static Family web(String os, String type, List<String> models, List<String> versions, List<String> browsers) {
        return new Family(true, os, type, models, Weighted.zipf(models.size(), 1.0), versions,
                Weighted.zipf(versions.size(), 1.2), browsers, Weighted.zipf(browsers.size(), 1.5));
    }

    Device pick(SplittableRandom random) {
        return families.get(familyPick.next(random)).pick(random);
    }
}
