/* train.c - STUB */
#include "model.h"
