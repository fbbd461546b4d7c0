import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { ApiPage, Page, PageQuery } from '../common/http/pagination';
import { CreateWatchlistEntryDto, WatchlistEntryResponse } from './dto/watchlist-entry.dto';
import { WatchlistErrors } from './watchlist.errors';
import { WatchlistService } from './watchlist.service';

@ApiTags('admin')
@Controller('admin/watchlist')
export class AdminWatchlistController {
  constructor(private readonly watchlist: WatchlistService) {}

  @Get()
  @Access('admin')
  @ApiPage(WatchlistEntryResponse)
  @ApiOperation({ summary: 'Watch-list entries, newest first' })
  @ApiErrors(CommonErrors.validationFailed)
  list(@Query() page: PageQuery): Promise<Page<WatchlistEntryResponse>> {
    return this.watchlist.list(page);
  }

  @Get(':id')
  @Access('admin')
  @ApiOperation({ summary: 'One watch-list entry' })
  @ApiOkResponse({ type: WatchlistEntryResponse })
  @ApiErrors(CommonErrors.validationFailed, WatchlistErrors.notFound)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<WatchlistEntryResponse> {
    return this.watchlist.get(id);
  }

  @Post()
  @Access('admin')
  @ApiOperation({ summary: 'Add a person to the watch list (audited); e-visa applications matching them are flagged for a consul' })
  @ApiCreatedResponse({ type: WatchlistEntryResponse })
  @ApiErrors(CommonErrors.validationFailed, WatchlistErrors.nameWithoutLetters)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateWatchlistEntryDto): Promise<WatchlistEntryResponse> {
    return this.watchlist.create(user, dto);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Access('admin')
  @ApiOperation({ summary: 'Remove a watch-list entry (audited); applications flagged earlier keep their flag' })
  @ApiNoContentResponse()
  @ApiErrors(CommonErrors.validationFailed, WatchlistErrors.notFound)
  remove(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.watchlist.remove(user, id);
  }
}
