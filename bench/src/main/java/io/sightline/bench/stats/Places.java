package io.sightline.bench.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Where visitors are: 60 countries with a Zipf-like share of visitors (the first few take most), each with regions
 * and cities (about 1,500 in all) that are again skewed, a capital-heavy long tail like real traffic. Names of
 * regions and cities are made up (ISO-3166-2-like region codes, "DE City 7"); coordinates lie around the country's
 * centre, rounded to two decimals as the server stores them by default.
 */
final class Places {
    /** code, UTC offset in hours, locale, latitude, longitude; in order of share. */
    private static final String TABLE = """
            DE 1 de-DE 51.2 10.4|US -5 en-US 39.8 -98.6|FR 1 fr-FR 46.6 2.2|GB 0 en-GB 54.0 -2.0|IT 1 it-IT 42.8 12.6
            ES 1 es-ES 40.2 -3.7|NL 1 nl-NL 52.1 5.3|AT 1 de-AT 47.6 14.1|CH 1 de-CH 46.8 8.2|PL 1 pl-PL 52.0 19.1
            BE 1 nl-BE 50.6 4.5|SE 1 sv-SE 62.0 15.0|CA -5 en-CA 56.1 -106.3|AU 10 en-AU -25.3 133.8|JP 9 ja-JP 36.2 138.3
            BR -3 pt-BR -14.2 -51.9|DK 1 da-DK 56.0 9.5|NO 1 nb-NO 61.0 8.5|FI 2 fi-FI 64.0 26.0|IE 0 en-IE 53.4 -8.2
            PT 0 pt-PT 39.4 -8.2|CZ 1 cs-CZ 49.8 15.5|MX -6 es-MX 23.6 -102.6|IN 5 en-IN 20.6 79.0|KR 9 ko-KR 36.0 127.8
            TR 3 tr-TR 39.0 35.2|GR 2 el-GR 39.1 21.8|HU 1 hu-HU 47.2 19.5|RO 2 ro-RO 45.9 25.0|SG 8 en-SG 1.35 103.8
            AE 4 ar-AE 23.4 53.8|IL 2 he-IL 31.0 34.9|NZ 12 en-NZ -41.0 174.0|ZA 2 en-ZA -30.6 22.9|AR -3 es-AR -38.4 -63.6
            CL -4 es-CL -35.7 -71.5|CO -5 es-CO 4.6 -74.3|SK 1 sk-SK 48.7 19.7|SI 1 sl-SI 46.2 14.9|HR 1 hr-HR 45.1 15.2
            LU 1 fr-LU 49.8 6.1|EE 2 et-EE 58.6 25.0|LV 2 lv-LV 56.9 24.6|LT 2 lt-LT 55.2 23.9|BG 2 bg-BG 42.7 25.5
            RS 1 sr-RS 44.0 21.0|UA 2 uk-UA 48.4 31.2|TH 7 th-TH 15.9 100.9|MY 8 ms-MY 4.2 102.0|ID 7 id-ID -0.8 113.9
            PH 8 en-PH 12.9 121.8|VN 7 vi-VN 14.1 108.3|TW 8 zh-TW 23.7 121.0|HK 8 zh-HK 22.3 114.2|SA 3 ar-SA 23.9 45.1
            EG 2 ar-EG 26.8 30.8|MA 1 fr-MA 31.8 -7.1|NG 1 en-NG 9.1 8.7|KE 3 en-KE -0.02 37.9|IS 0 is-IS 64.9 -19.0""";
    private static final int TOTAL_CITIES = 1_500;

    record Country(String code, int utcOffsetHours, String locale, double latitude, double longitude,
                   List<City> cities, Weighted cityPick) {
        boolean euro() {
            return EURO.contains(code);
        }
    }

    record City(String name, String region, double latitude, double longitude) {}

    private static final String EURO = "DE FR IT ES NL AT BE FI IE PT SK SI HR LU EE LV LT GR";

    private final List<Country> countries = new ArrayList<>();
    private final Weighted countryPick;

    Places() {
        String[] rows = TABLE.replace('\n', '|').split("\\|");
        countryPick = Weighted.zipf(rows.length, 1.1);
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < rows.length; i++) {
            String[] f = rows[i].trim().split(" ");
            // Cities in proportion to the square root of the country's share, at least 4 each: ~1,500 in all.
            double share = Math.sqrt(countryPick.probability(i));
            int cities = Math.max(4, (int) Math.round(share * TOTAL_CITIES / sqrtShareSum(rows.length)));
            int regions = Math.min(16, 2 + cities / 12);
            double lat = Double.parseDouble(f[3]);
            double lon = Double.parseDouble(f[4]);
            List<City> list = new ArrayList<>(cities);
            for (int c = 0; c < cities; c++) {
                String region = String.format(Locale.ROOT, "%s-%02d", f[0], c % regions + 1);
                list.add(new City(f[0] + " City " + (c + 1), region, round2(lat + random.nextDouble(-3, 3)),
                        round2(lon + random.nextDouble(-4, 4))));
            }
            countries.add(new Country(f[0], Integer.parseInt(f[1]), f[2], lat, lon, List.copyOf(list),
                    Weighted.zipf(cities, 1.0)));
        }
    }

    private double sqrtShareSum(int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.sqrt(countryPick.probability(i));
        }
        return sum;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    List<Country> countries() {
        return countries;
    }

    Country country(SplittableRandom random) {
        return countries.get(countryPick.next(random));
    }

    int cityCount() {
        return countries.stream().mapToInt(c -> c.cities().size()).sum();
    }
}
