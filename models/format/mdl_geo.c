/* mdl_geo.c -- the geography file's schema: cities, datacenters with their
 * power, and the links between them. */
#include "mdl_fields.h"
#include "mdl_files.h"

#define ST geo_city
static const mdl_field city_fields[] = {
    F("name", MDL_NAME, name, REQ, NULL, "the city's name, used by datacenters and targets", "Hangzhou"),
    FR("lon", MDL_REAL, lon, REQ | FIG, NULL, -180, 180, "longitude in degrees, for the map", "120.16"),
    FR("lat", MDL_REAL, lat, REQ | FIG, NULL, -90, 90, "latitude in degrees, for the map", "30.27"),
    FEND,
};
#undef ST
static const mdl_schema city_schema = {"city", sizeof(geo_city), city_fields, "A city: a place on the map that datacenters stand in."};

#define ST geo_power
static const mdl_field power_fields[] = {
    FR("feeds", MDL_INT, feeds, FIG, "2", 1, 8, "independent utility feeds; losing one of several leaves power on", "2"),
    FR("ups", MDL_DURATION, ups, FIG, "10m", 0, 86400, "battery ride-through once utility power is gone", "10m"),
    FR("generator_start", MDL_DURATION, generator_start, FIG, "30s", 0, 86400, "from utility loss until the generator carries the load", "30s"),
    FR("generator_failure", MDL_PERCENT, generator_failure, FIG, "1%", 0, 100, "chance the generator fails to start when needed", "1%"),
    FEND,
};
#undef ST
static const mdl_schema power_schema = {"power", sizeof(geo_power), power_fields,
    "How a datacenter keeps power: utility feeds, then batteries (UPS), then a generator. When utility power fails and the generator does not start, everything inside stops when the batteries run out."};

#define ST geo_dc
static const mdl_field dc_fields[] = {
    F("name", MDL_NAME, name, REQ, NULL, "the datacenter's name, the same in every stage", "HZ-A"),
    F("city", MDL_NAME, city, REQ, NULL, "the city it stands in", "Hangzhou"),
    FR("internal_latency", MDL_DURATION, internal_latency, FIG, "250us", 0, 1, "one-way latency between two machines inside it", "250us"),
    FS("power", power, 0, power_schema, "its power supply"),
    FR("racks", MDL_INT, racks, FIG, "200", 1, 100000, "racks it holds", "200"),
    FR("servers_per_rack", MDL_INT, servers_per_rack, FIG, "40", 1, 1000, "servers a rack holds", "40"),
    FEND,
};
#undef ST
static const mdl_schema dc_schema = {"datacenter", sizeof(geo_dc), dc_fields, "A datacenter (IDC): a building with its power and its capacity."};

#define ST geo_path
static const mdl_field path_fields[] = {
    F("name", MDL_NAME, name, 0, NULL, "a name for the fiber route, for faults", "north"),
    FR("latency", MDL_DURATION, latency, REQ | FIG, NULL, 0, 10, "one-way propagation latency", "1ms"),
    FR("bandwidth", MDL_BANDWIDTH, bandwidth, FIG, "100Gbit/s", 1, 1e15, "capacity in each direction", "400Gbit/s"),
    FEND,
};
#undef ST
static const mdl_schema path_schema = {"path", sizeof(geo_path), path_fields, "One fiber route of a link."};

#define ST geo_link
static const mdl_field link_fields[] = {
    F("between", MDL_NAMES, between, REQ, NULL, "the two ends: two datacenters, or two cities (then it carries every pair of their datacenters without a link of their own)", "[HZ-A, SH-A]"),
    FR("jitter", MDL_DURATION, jitter, FIG, "0s", 0, 1, "extra one-way delay, uniform from 0 to this", "100us"),
    FR("loss", MDL_PERCENT, loss, FIG, "0%", 0, 50, "messages lost and sent again", "0.01%"),
    FR("retransmit", MDL_DURATION, retransmit, FIG, "200ms", 0, 60, "what a lost message costs (a TCP retransmission timeout)", "200ms"),
    FR("buffer", MDL_DURATION, buffer, FIG, "100ms", 0, 60, "the longest a message waits behind the bandwidth before it is dropped", "100ms"),
    FL("paths", paths, REQ, path_schema, "its fiber routes; traffic takes the fastest healthy one"),
    FEND,
};
#undef ST
static const mdl_schema link_schema = {"link", sizeof(geo_link), link_fields, "A network link. Each direction is a queue of messages behind the bandwidth, then the propagation latency."};

#define ST geography
static const mdl_field geo_fields[] = {
    FR("dcsim", MDL_INT, dcsim, REQ, NULL, 1, 1, "the file format's version", "1"),
    FE("kind", kind, REQ, NULL, mdl_file_kinds, "what the file is", "geography"),
    F("name", MDL_NAME, name, REQ, NULL, "the geography's name", "china-east-south"),
    F("description", MDL_TEXT, description, 0, NULL, "what it is, for people", "Three cities, five datacenters"),
    FL("cities", cities, REQ, city_schema, "the cities"),
    FL("datacenters", datacenters, REQ, dc_schema, "the datacenters"),
    FL("links", links, 0, link_schema, "the links between datacenters and between cities"),
    FEND,
};
#undef ST
const mdl_schema mdl_geography_schema = {"geography", sizeof(geography), geo_fields,
    "The places every stage stands on (`models/stages/geography.yaml`): one company's buildings outlive its architectures, so \"HZ-A loses power\" means the same building in every stage."};
