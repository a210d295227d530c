/* test_sim_time.c -- durations and clock times: parsing, printing, round
 * trips, and the errors a user sees. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "sim_status.h"
#include "sim_time.h"

static sim_time parse_ok(const char *text)
{
    sim_time t = -12345;
    const char *why = NULL;
    int rc = sim_time_parse_duration(text, &t, &why);
    if (rc != SIM_OK)
        fail_msg("\"%s\" refused: %s", text, why);
    return t;
}

static const char *parse_error(const char *text)
{
    sim_time t;
    const char *why = NULL;
    assert_int_equal(sim_time_parse_duration(text, &t, &why), SIM_EINPUT);
    assert_non_null(why);
    return why;
}

static void durations_parse_to_exact_nanoseconds(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("250ms"), 250 * SIM_MS);
    assert_int_equal(parse_ok("30s"), 30 * SIM_SEC);
    assert_int_equal(parse_ok("5m"), 5 * SIM_MIN);
    assert_int_equal(parse_ok("2h"), 2 * SIM_HOUR);
    assert_int_equal(parse_ok("1d"), SIM_DAY);
    assert_int_equal(parse_ok("1h02m03.5s"), SIM_HOUR + 2 * SIM_MIN + 3 * SIM_SEC + 500 * SIM_MS);
    assert_int_equal(parse_ok("0.5s"), 500 * SIM_MS);
    assert_int_equal(parse_ok("1.5us"), 1500);
    assert_int_equal(parse_ok("1.5\xc2\xb5s"), 1500);
    assert_int_equal(parse_ok("17ns"), 17);
    assert_int_equal(parse_ok("0.000000001s"), 1);
    assert_int_equal(parse_ok("-30s"), -30 * SIM_SEC);
    assert_int_equal(parse_ok("0s"), 0);
    assert_int_equal(parse_ok("1.25h"), SIM_HOUR + 15 * SIM_MIN);
    assert_int_equal(parse_ok("100000h"), 100000 * SIM_HOUR);
}

static void duration_errors_say_what_is_wrong(void **state)
{
    (void)state;
    assert_string_equal(parse_error(""), "empty duration");
    assert_string_equal(parse_error("30"), "missing unit (use d, h, m, s, ms, us or ns)");
    assert_string_equal(parse_error("30x"), "unknown unit (use d, h, m, s, ms, us or ns)");
    assert_string_equal(parse_error("ms"), "expected a number");
    assert_string_equal(parse_error("1s2m"), "units must decrease (as in 1h02m03s) and appear once");
    assert_string_equal(parse_error("1s1s"), "units must decrease (as in 1h02m03s) and appear once");
    assert_string_equal(parse_error("0.5ns"), "finer than one nanosecond");
    assert_string_equal(parse_error("1.0000000001s"), "finer than one nanosecond");
    assert_string_equal(parse_error("300000000h"), "duration too large");
    assert_string_equal(parse_error("99999999999999999999s"), "number too large");
    assert_string_equal(parse_error("1h 2m"), "no spaces inside a duration (write 1h02m, not 1h 2m)");
}

static const char *format(sim_time t)
{
    static char buf[SIM_TIME_TEXT_MAX];
    size_t n = sim_time_format_duration(t, buf, sizeof buf);
    assert_true(n < sizeof buf);
    assert_int_equal(n, strlen(buf));
    return buf;
}

static void durations_print_canonically(void **state)
{
    (void)state;
    assert_string_equal(format(0), "0s");
    assert_string_equal(format(250 * SIM_MS), "250ms");
    assert_string_equal(format(1500), "1.5us");
    assert_string_equal(format(17), "17ns");
    assert_string_equal(format(1234567), "1.234567ms");
    assert_string_equal(format(90 * SIM_SEC), "1m30s");
    assert_string_equal(format(2 * SIM_HOUR), "2h");
    assert_string_equal(format(SIM_HOUR + 5 * SIM_SEC), "1h00m05s");
    assert_string_equal(format(SIM_HOUR + 2 * SIM_MIN + 3 * SIM_SEC + 500 * SIM_MS), "1h02m03.5s");
    assert_string_equal(format(-30 * SIM_SEC), "-30s");
    assert_string_equal(format(SIM_SEC + 1), "1.000000001s");
    assert_string_equal(format(49 * SIM_HOUR), "49h");
}

static void durations_round_trip_exactly(void **state)
{
    (void)state;
    /* Every magnitude from 1 ns to years, with awkward digits. */
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int shift = i % 62;
        sim_time t = (sim_time)(x >> (63 - shift)) * (i % 3 == 0 ? -1 : 1);
        const char *text = format(t);
        sim_time back = parse_ok(text);
        if (back != t)
            fail_msg("%lld printed as %s read back as %lld", (long long)t, text, (long long)back);
    }
    assert_int_equal(parse_ok(format(SIM_TIME_NEVER)), SIM_TIME_NEVER);
}

static void clock_times_parse_print_and_wrap(void **state)
{
    (void)state;
    sim_time t;
    const char *why;
    char buf[SIM_TIME_TEXT_MAX];
    assert_int_equal(sim_time_parse_clock("23:59:30", &t, &why), SIM_OK);
    assert_int_equal(t, 23 * SIM_HOUR + 59 * SIM_MIN + 30 * SIM_SEC);
    assert_int_equal(sim_time_parse_clock("00:00", &t, &why), SIM_OK);
    assert_int_equal(t, 0);
    assert_int_equal(sim_time_parse_clock("00:01:00.250", &t, &why), SIM_OK);
    assert_int_equal(t, SIM_MIN + 250 * SIM_MS);
    sim_time_format_clock(t, buf, sizeof buf);
    assert_string_equal(buf, "00:01:00.25");
    /* A run starting at 23:59 crosses midnight. */
    sim_time_format_clock(23 * SIM_HOUR + 59 * SIM_MIN + 90 * SIM_SEC, buf, sizeof buf);
    assert_string_equal(buf, "00:00:30");
    sim_time_format_clock(-10 * SIM_SEC, buf, sizeof buf);
    assert_string_equal(buf, "23:59:50");
    assert_int_equal(sim_time_parse_clock("24:00", &t, &why), SIM_EINPUT);
    assert_string_equal(why, "expected a clock time HH:MM[:SS[.fff]] from 00:00 to 23:59:59");
    assert_int_equal(sim_time_parse_clock("12:60", &t, &why), SIM_EINPUT);
    assert_int_equal(sim_time_parse_clock("12:00:61", &t, &why), SIM_EINPUT);
    assert_string_equal(why, "expected seconds 00 to 59 after HH:MM:");
    assert_int_equal(sim_time_parse_clock("12:00:00.", &t, &why), SIM_EINPUT);
    assert_string_equal(why, "expected digits after the decimal point");
    assert_int_equal(sim_time_parse_clock("12:00:00.0000000001", &t, &why), SIM_EINPUT);
    assert_string_equal(why, "finer than one nanosecond");
    assert_int_equal(sim_time_parse_clock("12:00 ", &t, &why), SIM_EINPUT);
    assert_string_equal(why, "unexpected text after the clock time");
    /* Round trip over a day in odd steps. */
    for (sim_time c = 0; c < SIM_DAY; c += 7 * SIM_SEC + 13 * SIM_MS) {
        sim_time_format_clock(c, buf, sizeof buf);
        assert_int_equal(sim_time_parse_clock(buf, &t, &why), SIM_OK);
        assert_int_equal(t, c);
    }
}

static void seconds_convert_to_nearest_nanosecond(void **state)
{
    (void)state;
    assert_int_equal(sim_time_from_seconds(1.5), 1500 * SIM_MS);
    assert_int_equal(sim_time_from_seconds(-0.25), -250 * SIM_MS);
    assert_int_equal(sim_time_from_seconds(1e30), SIM_TIME_NEVER);
    assert_int_equal(sim_time_from_seconds(-1e30), -SIM_TIME_NEVER);
    assert_true(sim_time_to_seconds(2 * SIM_SEC) == 2.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(durations_parse_to_exact_nanoseconds),
        cmocka_unit_test(duration_errors_say_what_is_wrong),
        cmocka_unit_test(durations_print_canonically),
        cmocka_unit_test(durations_round_trip_exactly),
        cmocka_unit_test(clock_times_parse_print_and_wrap),
        cmocka_unit_test(seconds_convert_to_nearest_nanosecond),
    };
    return cmocka_run_group_tests_name("sim_time", tests, NULL, NULL);
}
