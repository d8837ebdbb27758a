package org.crane.testing;

/** The error measures the numeric tests share. */
public final class Numerics {
    private Numerics() {
    }

    /**
     * @param got the computed values.
     * @param want the reference values.
     * @return ||got - want|| / max(||want||, 1e-12).
     */
    public static double relErr(double[] got, double[] want) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < want.length; i++) {
            num += (got[i] - want[i]) * (got[i] - want[i]);
            den += want[i] * want[i];
        }
        return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-12);
    }

    /** @see #relErr(double[], double[]) */
    public static double relErr(float[] got, double[] want) {
        return relErr(toDouble(got), want);
    }

    /** @see #relErr(double[], double[]) */
    public static double relErr(float[] got, float[] want) {
        return relErr(toDouble(got), toDouble(want));
    }

    /**
     * @param a float values.
     * @return them as doubles.
     */
    public static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
