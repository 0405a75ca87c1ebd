/* conversation.c - STUB */
#include "analysis.h"
heard_status heard_conversation_finish(const heard_conversation_in *conv, heard_result *res)
{ (void)conv; res->felt_heard = 3; return HEARD_OK; }
