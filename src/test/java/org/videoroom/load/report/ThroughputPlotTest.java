package org.videoroom.load.report;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoroom.load.IntervalSample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThroughputPlotTest {

    @TempDir
    Path dir;

    @Test
    void writesAPngOfThePlotsSize() throws Exception {
        List<IntervalSample> samples = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            samples.add(new IntervalSample(i, 2_000 + 50L * i, 1_500_000L + 1_000L * i, i % 7 == 0 ? 3 : 0,
                    0.4 + i * 0.01, 2.0 + (i % 5)));
        }
        Path png = dir.resolve("nested/run.png");
        ThroughputPlot.write(samples, png, "sfu: 2 rooms x 3");
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image);
        assertEquals(1200, image.getWidth());
        assertEquals(700, image.getHeight());
        // Both panels' lines were drawn: pixels of the throughput and of the p99 colour.
        assertTrue(countOf(image, 0x1f77b4) > 100, "Mbit/s line");
        assertTrue(countOf(image, 0xd62728) > 100, "p99 line");
    }

    private static int countOf(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void anEmptyRunStillGivesAnImage() throws Exception {
        Path png = dir.resolve("empty.png");
        ThroughputPlot.write(List.of(), png, "nothing measured");
        assertNotNull(ImageIO.read(png.toFile()));
    }

    @Test
    void axisMaximaAreRoundNumbers() {
        assertEquals(1, ChartPanel.niceMax(0));
        assertEquals(2, ChartPanel.niceMax(1.5));
        assertEquals(50, ChartPanel.niceMax(23));
        assertEquals(100, ChartPanel.niceMax(51));
        assertEquals(20_000, ChartPanel.niceMax(12_345));
    }
}
