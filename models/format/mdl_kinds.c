/* mdl_kinds.c -- the name tables of mdl_kinds.h, made from the same lists
 * as their enums. */
#include "mdl_kinds.h"

#include <stddef.h>

const char *const mdl_file_kinds[] = {MDL_FILE_KINDS(MDL_ENUM_NAME) NULL};
const char *const mdl_timeseries_kinds[] = {MDL_TIMESERIES_KINDS(MDL_ENUM_NAME) NULL};
const char *const mdl_entry_kinds[] = {MDL_ENTRY_KINDS(MDL_ENUM_NAME) NULL};
const char *const mdl_routings[] = {MDL_ROUTINGS(MDL_ENUM_NAME) NULL};
const char *const mdl_balancer_kinds[] = {MDL_BALANCER_KINDS(MDL_ENUM_NAME) NULL};
const char *const mdl_memberships[] = {MDL_MEMBERSHIPS(MDL_ENUM_NAME) NULL};
const char *const mdl_unit_kinds[] = {MDL_UNIT_KINDS(MDL_ENUM_NAME) NULL};
const char *const mdl_replication_modes[] = {MDL_REPLICATION_MODES(MDL_ENUM_NAME) NULL};
const char *const mdl_promotion_modes[] = {MDL_PROMOTION_MODES(MDL_ENUM_NAME) NULL};
const char *const mdl_reads[] = {MDL_READS(MDL_ENUM_NAME) NULL};
const char *const mdl_triggers[] = {MDL_TRIGGERS(MDL_ENUM_NAME) NULL};
const char *const mdl_failbacks[] = {MDL_FAILBACKS(MDL_ENUM_NAME) NULL};
const char *const mdl_runbook_triggers[] = {MDL_RUNBOOK_TRIGGERS(MDL_ENUM_NAME) NULL};
const char *const mdl_step_kinds[] = {MDL_STEP_KINDS(MDL_ENUM_NAME) NULL};
const char *const mdl_data_kinds[] = {MDL_DATA_KINDS(MDL_ENUM_NAME) NULL};
const char *const mdl_ops[] = {MDL_OPS(MDL_ENUM_NAME) NULL};
const char *const mdl_generators[] = {MDL_GENERATORS(MDL_ENUM_NAME) NULL};
const char *const mdl_cut_modes[] = {MDL_CUT_MODES(MDL_ENUM_NAME) NULL};
const char *const mdl_components[] = {MDL_COMPONENTS(MDL_ENUM_NAME) NULL};
const char *const mdl_action_kinds[] = {MDL_ACTION_KINDS(MDL_ENUM_NAME) NULL};
const char *const mdl_reactions[] = {MDL_REACTIONS(MDL_ENUM_NAME) NULL};
#define REACTION_DOC(id, name, doc) doc,
const char *const mdl_reaction_docs[] = {MDL_REACTIONS(REACTION_DOC) NULL};
const char *const mdl_metric_names[] = {MDL_METRICS(MDL_ENUM_NAME) NULL};
const char *const mdl_dc_roles[] = {MDL_DC_ROLES(MDL_ENUM_NAME) NULL};
const char *const mdl_roles[] = {MDL_ROLES(MDL_ENUM_NAME) NULL};
const char *const mdl_fault_kinds[] = {MDL_FAULT_KINDS(MDL_ENUM_NAME) NULL};
const char *const mdl_event_kinds[] = {MDL_EVENT_KINDS(MDL_ENUM_NAME) NULL};
const char *const mdl_cause_names[] = {MDL_CAUSES(MDL_ENUM_NAME) NULL};
#define MDL_FAILURE_NAME(id, name, doc) name,
#define MDL_FAILURE_DOC(id, name, doc) doc,
const char *const mdl_failure_causes[] = {MDL_FAILURE_CAUSES(MDL_FAILURE_NAME) NULL};
const char *const mdl_failure_cause_docs[] = {MDL_FAILURE_CAUSES(MDL_FAILURE_DOC) NULL};

#define EVENT_PLURAL(id, name, plural, doc) plural,
const char *const mdl_event_plurals[] = {MDL_EVENT_KINDS(EVENT_PLURAL) NULL};

#define FAULT_ROW(id, name, any, all, needs, flags, apply, doc) [id] = {name, any, all, needs, flags, doc},
const mdl_fault_kind mdl_fault_kind_table[FAULT_KINDS] = {MDL_FAULT_KINDS(FAULT_ROW)};
