/* libFuzzer target for src/core/csv.c and the quota loader: any bytes are
 * either parsed into a table whose every row has the header's width, or
 * refused with a line number; as a categories and respondents pair they
 * load or are refused, never crash. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/csv.h"
#include "core/errors.h"
#include "core/quota.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_table t, c;
	struct px_error err = { 0 };
	size_t line;
	if (csv_parse((const char *)data, size, &t, &line, &err) == 0) {
		for (size_t r = 0; r < t.nrows; r++)
			for (size_t col = 0; col < t.ncols; col++)
				(void)strlen(csv_cell(&t, r, col));
		static const char cats[] = "category,feature,min,max\ng,a,0,2\ng,b,0,2\n";
		if (csv_parse(cats, sizeof(cats) - 1, &c, &line, &err) == 0) {
			struct px_quota q;
			int which;
			if (px_quota_load(&q, &c, &t, NULL, 2, &which, &line, &err) == 0)
				px_quota_release(&q);
			csv_table_release(&c);
		}
		csv_table_release(&t);
	}
	return 0;
}
