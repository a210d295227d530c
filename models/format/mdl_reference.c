/* mdl_reference.c -- the reference of every key (`dcsim reference`, the
 * end of models/README.md and scenarios/README.md), written from the
 * schema tables and the kind tables, so the docs cannot drift from what
 * the loader accepts. */
#include <stdio.h>

#include "mdl_files.h"
#include "mdl_sweep.h"

/* The fault kinds and the event kinds, from their tables. */
static void kinds_doc(FILE *out, int level)
{
    fprintf(out, "%.*s Fault kinds\n\n", level, "######");
    fputs("What `faults[].kind` names. A target must name what the kind needs; a\n"
          "stage whose places or roles do not match it records the fault as\n"
          "`unmatched`.\n\n", out);
    fputs("| kind | what fails | its target needs |\n| --- | --- | --- |\n", out);
    for (int k = 0; k < FAULT_KINDS; k++) {
        const mdl_fault_kind *f = &mdl_fault_kind_table[k];
        fprintf(out, "| `%s` | %s | %s |\n", f->name, f->doc, f->needs);
    }
    fprintf(out, "\n%.*s Reactions a trainee takes\n\n", level, "######");
    fputs("What `training.takes` names: the stage's own reactions handed to the trainee\n"
          "in the live window. One taken over does not act by itself; when it would\n"
          "have started, an `alert` event says what needs deciding, once per situation.\n"
          "Health-check removal of dead servers and the entry checks stay automatic.\n\n", out);
    fputs("| reaction | what it covers |\n| --- | --- |\n", out);
    for (int r = 0; r < REACT_COUNT; r++)
        fprintf(out, "| `%s` | %s |\n", mdl_reactions[r], mdl_reaction_docs[r]);
    fprintf(out, "\n%.*s Event kinds\n\n", level, "######");
    fputs("The kinds of row in `events.csv`; `actions[].on` and `captions[].on` name one.\n\n", out);
    fputs("| kind | what it records |\n| --- | --- |\n", out);
#define EVENT_DOC(id, name, plural, doc) fprintf(out, "| `%s` | %s |\n", name, doc);
    MDL_EVENT_KINDS(EVENT_DOC)
#undef EVENT_DOC
}

void mdl_reference(FILE *out, int kind)
{
    if (kind == MDL_FILE_SCENARIO) {
        mdl_schema_doc(out, &mdl_scenario_schema, 3);
        kinds_doc(out, 3);
        fputs("\n", out);
        mdl_schema_doc(out, &mdl_sweep_schema, 3);
        return;
    }
    mdl_schema_doc(out, &mdl_geography_schema, 3);
    mdl_schema_doc(out, &mdl_stage_schema, 3);
}
