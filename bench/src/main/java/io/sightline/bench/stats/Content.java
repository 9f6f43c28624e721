package io.sightline.bench.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What the AR campaigns are made of: 300 printed QR codes (most belong to one of 30 campaigns, some to none), 200
 * 3D objects (each code opens its own object, but visitors also browse to others), 10 calls to action, and twelve
 * app releases spread over the year. Popularity is Zipf-like everywhere: a poster in a busy store beats a flyer.
 */
final class Content {
    static final int QR_CODES = 300;
    static final int OBJECTS = 200;
    private static final String[] THEMES = {"spring-living", "summer-garden", "autumn-home", "winter-sale",
        "black-friday", "store-window", "catalogue", "magazine", "trade-fair", "packaging"};
    private static final String[] FURNITURE = {"sofa", "chair", "table", "lamp", "shelf", "bed", "rug", "plant",
        "desk", "cabinet"};
    private static final List<String> CTAS = List.of("buy-now", "add-to-cart", "find-store", "book-demo",
            "request-quote", "view-details", "subscribe", "download-brochure", "call-dealer", "share-offer");
    static final int RELEASES = 12;

    private final List<String> qrCodes = new ArrayList<>();
    private final List<String> campaignOfCode = new ArrayList<>();
    private final List<String> objects = new ArrayList<>();
    private final Weighted codePick = Weighted.zipf(QR_CODES, 1.0);
    private final Weighted objectPick = Weighted.zipf(OBJECTS, 1.1);
    private final Weighted ctaPick = Weighted.zipf(CTAS.size(), 1.2);

    Content() {
        for (int i = 0; i < QR_CODES; i++) {
            qrCodes.add(String.format(Locale.ROOT, "qr-%04d", i + 1));
            // One code in five is printed without a campaign; the rest spread over 30 campaigns.
            int c = (i * 7) % 30;
            campaignOfCode.add(i % 5 == 4 ? null : THEMES[c % THEMES.length] + "-" + (2026 - c / THEMES.length));
        }
        for (int i = 0; i < OBJECTS; i++) {
            objects.add(String.format(Locale.ROOT, "%s-%03d", FURNITURE[i % FURNITURE.length], i + 1));
        }
    }

    int code(SplittableRandom r) {
        return codePick.next(r);
    }

    String qrCodeId(int code) {
        return qrCodes.get(code);
    }

    /** Null for a code printed without a campaign. */
    String campaign(int code) {
        return campaignOfCode.get(code);
    }

    /** Mostly the object the code was printed for; sometimes another one the visitor browsed to. */
    String object(int code, SplittableRandom r) {
        return r.nextDouble() < 0.8 ? objects.get((code * 13) % OBJECTS) : objects.get(objectPick.next(r));
    }

    String cta(SplittableRandom r) {
        return CTAS.get(ctaPick.next(r));
    }

    static String appVersion(int release) {
        return "4." + release + ".0";
    }

    static String appBuild(int release) {
        return Integer.toString(4000 + release * 10);
    }
}
