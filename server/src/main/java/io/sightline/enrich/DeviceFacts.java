package io.sightline.enrich;

/**
 * What a User-Agent tells about the device that sent an event, in short values a dashboard can group by,
 * for example {@code iOS 17.4, phone, Apple iPhone, MyApp 2.3}. A null field means "not known". Blank values
 * become null and longer values are cut to {@link #MAX_LENGTH} characters, so every instance is storable as is.
 *
 * @param os             "iOS", "Android", "Windows", "macOS", "Linux", ...
 * @param osVersion      "17.4"; for browsers that freeze their User-Agent it can be a floor such as ">=10.15.7"
 * @param deviceType     a lower-case word: phone, tablet, desktop, mobile (a handheld of unknown kind), tv, watch,
 *                       xr, console, car, ereader, robot, ...
 * @param deviceModel    "Apple iPhone", "Google Pixel 8"
 * @param browser        the browser, or for a native app the app's own name ("MyApp")
 * @param browserVersion see {@link DeviceDetector} for which version is kept
 * @param bot            whether the event should count as automated traffic, see {@link DeviceDetector}
 */
public record DeviceFacts(
        String os,
        String osVersion,
        String deviceType,
        String deviceModel,
        String browser,
        String browserVersion,
        boolean bot) {

    public static final int MAX_LENGTH = 64;

    /** For a missing User-Agent: nothing is known, and that alone does not make an event a bot. */
    public static final DeviceFacts UNKNOWN = new DeviceFacts(null, null, null, null, null, null, false);

    public DeviceFacts {
        os = shorten(os);
        osVersion = shorten(osVersion);
        deviceType = shorten(deviceType);
        deviceModel = shorten(deviceModel);
        browser = shorten(browser);
        browserVersion = shorten(browserVersion);
    }

    private static String shorten(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() <= MAX_LENGTH) {
            return value;
        }
        // Never keep half of a surrogate pair: a lone surrogate is not valid Unicode text.
        int end = Character.isHighSurrogate(value.charAt(MAX_LENGTH - 1)) ? MAX_LENGTH - 1 : MAX_LENGTH;
        return value.substring(0, end);
    }
}
