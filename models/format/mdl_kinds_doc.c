/* mdl_kinds_doc.c -- the reference of the fault kinds and the event kinds,
 * written from their tables (mdl_kinds.h) like every other key's. */
#include <stdio.h>

#include "mdl_kinds.h"

void mdl_kinds_doc(FILE *out, int level)
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
    fprintf(out, "\n%.*s Event kinds\n\n", level, "######");
    fputs("The kinds of row in `events.csv`; `actions[].on` and `captions[].on` name one.\n\n", out);
    fputs("| kind | what it records |\n| --- | --- |\n", out);
#define EVENT_DOC(id, name, plural, doc) fprintf(out, "| `%s` | %s |\n", name, doc);
    MDL_EVENT_KINDS(EVENT_DOC)
#undef EVENT_DOC
}
