package io.sightline.bench.enrich;

import io.sightline.bench.load.MixedRequestSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A realistic mix of senders: about 200 real-format User-Agents of AR apps and browsers with a skewed
 * (Zipf) popularity, a share of never-seen ones and 1 % crawlers; client addresses drawn with a skew from a list inside the GeoIP database's networks.
 */
final class ClientMix {
    static final double BOT_SHARE = 0.01;

    private final double uniqueShare;

    private final List<String> common;
    private final List<String> addresses;
    private final Random random;

    /**
     * {@code uniqueShare}: the fraction of requests whose User-Agent is new. Each new one is a Chrome on Android
     * with a fresh build number: at about 0.6 ms the costliest parse among the kinds in the mix (an app's own
     * User-Agent parses in 0.14 ms, a Facebook in-app one in 0.4 ms).
     */
    ClientMix(List<String> addresses, double uniqueShare, long seed) {
        this.uniqueShare = uniqueShare;
        this.common = commonUserAgents();
        this.addresses = addresses;
        this.random = new Random(seed);
    }

    /** One sender: a User-Agent and an address. */
    record Sender(String userAgent, String address) {}

    Sender next() {
        double r = random.nextDouble();
        String ua;
        if (r < BOT_SHARE) {
            ua = random.nextBoolean()
                    ? "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
                    : "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)";
        } else if (r < BOT_SHARE + uniqueShare) {
            ua = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0."
                    + MixedRequestSource.UNIQUE + ".0 Mobile Safari/537.36";
        } else {
            ua = common.get(zipf(common.size()));
        }
        return new Sender(ua, addresses.get(zipf(addresses.size())));
    }

    /** Rank 0 is the most popular; P(rank k) is proportional to 1 / (k + 1). */
    private int zipf(int n) {
        double harmonic = Math.log(n) + 0.5772;
        double target = random.nextDouble() * harmonic;
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1.0 / (k + 1);
            if (sum >= target) {
                return k;
            }
        }
        return n - 1;
    }

    static List<String> commonUserAgents() {
        List<String> agents = new ArrayList<>();
        String[] iosVersions = {"17.4", "17.5", "18.1", "16.7"};
        String[] iphones = {"iPhone14,2", "iPhone15,3", "iPhone16,2", "iPhone13,1", "iPhone12,1", "iPad13,4"};
        for (String device : iphones) {
            for (String ios : iosVersions) {
                agents.add("ARShop/3.2 (" + device + "; iOS " + ios + "; Scale/3.00)");
                agents.add("ARShop/3.1 (" + device + "; iOS " + ios + "; Scale/3.00)");
            }
        }
        for (String darwin : new String[] {"23.4.0", "23.5.0", "24.1.0"}) {
            agents.add("ARShop/3.2 CFNetwork/1494.0.7 Darwin/" + darwin);
        }
        String[] androids = {"Pixel 8", "Pixel 7", "SM-S918B", "SM-A546B", "2201116SG", "CPH2451"};
        for (String model : androids) {
            for (int version : new int[] {13, 14, 15}) {
                agents.add("Dalvik/2.1.0 (Linux; U; Android " + version + "; " + model + " Build/UQ1A.240205.004)");
                for (int chrome : new int[] {129, 130, 131}) {
                    agents.add("Mozilla/5.0 (Linux; Android " + version + "; " + model + ") AppleWebKit/537.36"
                            + " (KHTML, like Gecko) Chrome/" + chrome + ".0.0.0 Mobile Safari/537.36");
                }
            }
        }
        agents.add("okhttp/4.12.0");
        for (String ios : new String[] {"17_4", "17_5", "18_1"}) {
            agents.add("Mozilla/5.0 (iPhone; CPU iPhone OS " + ios + " like Mac OS X) AppleWebKit/605.1.15 (KHTML,"
                    + " like Gecko) Version/" + ios.replace('_', '.') + " Mobile/15E148 Safari/604.1");
        }
        for (int chrome = 120; chrome <= 131; chrome++) {
            agents.add("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/"
                    + chrome + ".0.0.0 Safari/537.36");
            agents.add("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/"
                    + chrome + ".0.0.0 Safari/537.36");
        }
        for (int firefox = 125; firefox <= 132; firefox++) {
            agents.add("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:" + firefox + ".0) Gecko/20100101 Firefox/"
                    + firefox + ".0");
        }
        return List.copyOf(agents);
    }
}
